using LayerBuilder.Diagnostics;
using LayerBuilder.Text;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Recipe;

/// <summary>
/// Typed, position-aware reads over YamlDotNet's node tree. Every wrong shape becomes a diagnostic with
/// the node's line and column; reads go on so one run reports every problem. Scalars pass through
/// <see cref="ArgExpander"/>, so ${NAME} works in every string value.
/// </summary>
internal sealed class YamlNodeReader
{
    private readonly string file;

    public YamlNodeReader(string file, DiagnosticBag diagnostics, ArgExpander expander)
    {
        this.file = file;
        Diagnostics = diagnostics;
        Expander = expander;
    }

    public DiagnosticBag Diagnostics { get; }

    public ArgExpander Expander { get; set; }

    public SourcePosition Position(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>Reads a mapping, reporting keys outside <paramref name="known"/> with the nearest known one.</summary>
    public IReadOnlyDictionary<string, YamlNode>? Mapping(YamlNode node, string what, IReadOnlyCollection<string> known)
    {
        if (node is not YamlMappingNode map)
        {
            WrongType(node, what, "a mapping (key: value lines)");
            return null;
        }

        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                WrongType(keyNode, $"a key in {what}", "a plain word");
                continue;
            }

            if (!known.Contains(key))
            {
                var nearest = Levenshtein.Nearest(key, known);
                var hint = nearest is null
                    ? $"known keys are: {string.Join(", ", known)}"
                    : $"did you mean '{nearest}'?";
                Diagnostics.Error(DiagnosticCodes.UnknownKey, Position(keyNode), $"unknown key '{key}' in {what}; {hint}");
                continue;
            }

            result[key] = value;
        }

        return result;
    }

    /// <summary>Reads a free-form string-to-string mapping (env, labels, args).</summary>
    public List<KeyValuePair<Positioned<string>, Positioned<string>>>? StringMap(YamlNode node, string what, bool expand = true)
    {
        if (node is not YamlMappingNode map)
        {
            WrongType(node, what, "a mapping of names to strings");
            return null;
        }

        var result = new List<KeyValuePair<Positioned<string>, Positioned<string>>>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = Scalar(keyNode, $"a key in {what}", expand: false);
            var value = Scalar(valueNode, $"'{key}' in {what}", expand, allowEmpty: true);
            if (key is not null && value is not null)
            {
                result.Add(new(new(key, Position(keyNode)), new(value, Position(valueNode))));
            }
        }

        return result;
    }

    /// <summary>A scalar as text (YAML's own typing is ignored: <c>8080</c> and <c>true</c> stay text).</summary>
    public string? Scalar(YamlNode node, string what, bool expand = true, bool allowEmpty = false)
    {
        if (node is not YamlScalarNode scalar)
        {
            WrongType(node, what, "a single value");
            return null;
        }

        var text = scalar.Value ?? "";
        if (text.Length == 0 && !allowEmpty)
        {
            Diagnostics.Error(DiagnosticCodes.WrongType, Position(node), $"{what} is empty; give it a value");
            return null;
        }

        return expand ? Expander.Expand(text, Position(node), Diagnostics) : text;
    }

    public Positioned<string>? PositionedScalar(YamlNode node, string what)
    {
        var value = Scalar(node, what);
        return value is null ? null : new Positioned<string>(value, Position(node));
    }

    /// <summary>A list of strings; with <paramref name="allowSingle"/>, one scalar counts as a list of one.</summary>
    public List<Positioned<string>>? StringList(YamlNode node, string what, bool allowSingle = false)
    {
        if (node is YamlScalarNode && allowSingle)
        {
            var single = PositionedScalar(node, what);
            return single is null ? null : [single.Value];
        }

        if (node is not YamlSequenceNode seq)
        {
            WrongType(node, what, "a list");
            return null;
        }

        var result = new List<Positioned<string>>();
        foreach (var item in seq.Children)
        {
            var value = PositionedScalar(item, $"an item of {what}");
            if (value is not null)
            {
                result.Add(value.Value);
            }
        }

        return result;
    }

    public IEnumerable<YamlNode> Sequence(YamlNode node, string what)
    {
        if (node is YamlSequenceNode seq)
        {
            return seq.Children;
        }

        WrongType(node, what, "a list");
        return [];
    }

    public bool? Boolean(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        switch (text)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                Diagnostics.Error(DiagnosticCodes.WrongType, Position(node), $"{what} must be true or false, not '{text}'");
                return null;
        }
    }

    public void WrongType(YamlNode node, string what, string expected)
    {
        var actual = node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode s when string.IsNullOrEmpty(s.Value) => "empty",
            YamlScalarNode => "a single value",
            _ => "something else",
        };
        Diagnostics.Error(DiagnosticCodes.WrongType, Position(node), $"{what} must be {expected}, but it is {actual}");
    }
}
