using System.Text;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Recipe;

/// <summary>
/// The form a <c>config.env</c> value has in the recipe model: <c>${env.NAME}</c> is the value NAME has
/// in the inherited env (the base image's, with Docker's default <c>PATH</c>; never another entry of the
/// recipe), <c>$$</c> is one literal <c>$</c>, and any other <c>$</c> is itself. The YAML reader
/// writes it from a value (args expanded, literal dollars escaped); code escapes a value with
/// <see cref="Escape"/>; the config merge resolves it (docs/recipe.md "env references", D47).
/// </summary>
internal static class EnvTemplate
{
    /// <summary>What a literal <c>$</c> is in a template.</summary>
    public const string EscapedDollar = "$$";

    private const string Prefix = "env.";

    /// <summary>Whether the text between <c>${</c> and <c>}</c> is an env reference (<c>env.NAME</c>).</summary>
    public static bool IsReference(string inner) =>
        inner.StartsWith(Prefix, StringComparison.Ordinal) && ArgExpander.IsName(inner[Prefix.Length..]);

    /// <summary>A literal value as a template: every <c>$</c> doubled.</summary>
    public static string Escape(string literal) => literal.Replace("$", EscapedDollar, StringComparison.Ordinal);

    /// <summary>Resolves a template against the inherited env; an unknown name is reported at
    /// <paramref name="position"/> and leaves the value as it was written.</summary>
    public static string Resolve(string template, Func<string, string?> lookup, SourcePosition position, DiagnosticBag diagnostics)
    {
        if (!template.Contains('$'))
        {
            return template;
        }

        var result = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] != '$')
            {
                result.Append(template[i]);
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            var end = i + 1 < template.Length && template[i + 1] == '{' ? template.IndexOf('}', i + 2) : -1;
            if (end < 0 || !IsReference(template[(i + 2)..end]))
            {
                result.Append('$');
                continue;
            }

            var name = template[(i + 2 + Prefix.Length)..end];
            if (lookup(name) is not { } value)
            {
                diagnostics.Error(DiagnosticCodes.UnknownEnvReference, position,
                    $"${{env.{name}}} refers to an environment variable the base image does not set (references read the base's env, not this recipe's other entries); write the value, or drop the reference");
                value = "";
            }

            result.Append(value);
            i = end;
        }

        return result.ToString();
    }
}
