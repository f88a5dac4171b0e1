using System.Text;
using LayerBuilder.Diagnostics;

namespace LayerBuilder.Recipe;

/// <summary>
/// Replaces <c>${NAME}</c> in recipe strings. <c>$${</c> writes a literal <c>${</c>. An unknown name is an
/// error at the scalar that uses it, never a silent empty string. <c>${env.NAME}</c> is no arg: it refers
/// to an environment variable and is kept for the config merge, in <c>config.env</c> values only
/// (<see cref="EnvTemplate"/>, docs/recipe.md "env references", docs/decisions.md D47).
/// </summary>
internal sealed class ArgExpander
{
    private readonly IReadOnlyDictionary<string, string> args;

    /// <summary>Characters references have put in so far: a long arg used many times multiplies like an alias.</summary>
    private long substituted;

    public ArgExpander(IReadOnlyDictionary<string, string> args) => this.args = args;

    /// <summary>The names a reference used, for the warning about args no one uses.</summary>
    public HashSet<string> Used { get; } = new(StringComparer.Ordinal);

    public string Expand(string text, SourcePosition position, DiagnosticBag diagnostics) =>
        Expand(text, position, diagnostics, envTemplate: false);

    /// <summary>Expands the args of a <c>config.env</c> value into an <see cref="EnvTemplate"/>: its
    /// <c>${env.NAME}</c> references stay for the merge over the base's env, and every other <c>$</c>
    /// (of the text or of an arg's value) is escaped so that it stays exactly as written.</summary>
    public string ExpandEnvValue(string text, SourcePosition position, DiagnosticBag diagnostics) =>
        Expand(text, position, diagnostics, envTemplate: true);

    private string Expand(string text, SourcePosition position, DiagnosticBag diagnostics, bool envTemplate)
    {
        if (!text.Contains('$'))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$')
            {
                result.Append(text[i]);
                continue;
            }

            if (i + 2 < text.Length && text[i + 1] == '$' && text[i + 2] == '{')
            {
                result.Append(envTemplate ? "$$" + "{" : "${");
                i += 2;
                continue;
            }

            if (i + 1 >= text.Length || text[i + 1] != '{')
            {
                result.Append(envTemplate ? EnvTemplate.EscapedDollar : "$");
                continue;
            }

            var end = text.IndexOf('}', i + 2);
            var name = end < 0 ? "" : text[(i + 2)..end];
            if (end >= 0 && EnvTemplate.IsReference(name))
            {
                if (!envTemplate)
                {
                    diagnostics.Error(DiagnosticCodes.EnvReferenceOutsideEnv, position,
                        $"'{text}' refers to ${{{name}}}: environment references work in 'config.env' values only; use an arg here, or $${{ for a literal '${{'");
                    return text;
                }

                result.Append(text, i, end - i + 1);
                i = end;
                continue;
            }

            if (end < 0 || !IsName(name))
            {
                diagnostics.Error(DiagnosticCodes.InvalidArgSyntax, position,
                    $"'{text}' has a malformed reference at '{text[i..Math.Min(text.Length, i + 12)]}': write ${{NAME}} with letters, digits and '_', or $${{ for a literal '${{'");
                return text;
            }

            if (!args.TryGetValue(name, out var value))
            {
                // The platform's TARGET* args are always there (docs/recipe.md, "Several platforms"): the list names the recipe's own.
                var own = args.Keys.Where(k => !TargetPlatform.ArgNames.Contains(k)).Order(StringComparer.Ordinal).ToList();
                var known = own.Count == 0 ? "no args are defined" : "known args: " + string.Join(", ", own);
                diagnostics.Error(DiagnosticCodes.UnknownArg, position,
                    $"unknown arg ${{{name}}} ({known}); define it under 'args' or pass --arg {name}=VALUE");
                return text;
            }

            Used.Add(name);
            substituted += value.Length;
            if (substituted > RecipeLimits.MaxExpandedCharacters)
            {
                if (substituted - value.Length <= RecipeLimits.MaxExpandedCharacters)
                {
                    // Said once, where the limit was passed; later references stay unexpanded.
                    diagnostics.Error(DiagnosticCodes.NestingTooDeep, position,
                        $"${{...}} references put more than {RecipeLimits.MaxExpandedCharacters >> 20} Mi characters of text into the recipe (here at ${{{name}}}); a long arg used many times multiplies");
                }

                return text;
            }

            result.Append(envTemplate ? EnvTemplate.Escape(value) : value);
            i = end;
        }

        return result.ToString();
    }

    public static bool IsName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
