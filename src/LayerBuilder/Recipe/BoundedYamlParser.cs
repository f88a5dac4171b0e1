using System.Globalization;
using LayerBuilder.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LayerBuilder.Recipe;

/// <summary>
/// Passes YamlDotNet's parsing events on to the representation model (<c>YamlStream.Load</c>), refusing a
/// recipe whose shape would exhaust the stack, the CPU or memory before the model holds any of it:
/// nesting deeper than <see cref="RecipeLimits.MaxNesting"/> (the model is built recursively), a key that
/// is not a plain value (the model hashes keys, and hashing an aliased structure takes forever), an alias
/// inside the node it names (the model would hold a cycle), and aliases that expand the recipe past
/// <see cref="RecipeLimits.MaxExpandedValues"/> values or <see cref="RecipeLimits.MaxExpandedCharacters"/>
/// characters. The parser itself is a state machine, so reading events costs no stack.
/// </summary>
internal sealed class BoundedYamlParser(IParser inner, string file) : IParser
{
    private readonly Stack<Collection> open = new();
    private readonly Dictionary<string, Anchored> anchors = new(StringComparer.Ordinal);
    private long values;
    private long characters;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        Check(inner.Current!);
        return true;
    }

    private void Check(ParsingEvent e)
    {
        switch (e)
        {
            case DocumentStart:
                anchors.Clear(); // anchors belong to one document
                break;
            case Scalar scalar:
                TakePlace(scalar);
                Count(1, scalar.Value.Length, scalar, alias: null);
                if (!scalar.Anchor.IsEmpty)
                {
                    anchors[scalar.Anchor.Value] = new Anchored { Values = 1, Characters = scalar.Value.Length };
                }

                break;
            case SequenceStart or MappingStart:
                Open((NodeEvent)e);
                break;
            case SequenceEnd or MappingEnd:
                Close();
                break;
            case AnchorAlias alias:
                TakePlace(alias);
                Expand(alias);
                break;
        }
    }

    private void Open(NodeEvent start)
    {
        TakePlace(start);
        if (open.Count >= RecipeLimits.MaxNesting)
        {
            throw Refuse(DiagnosticCodes.NestingTooDeep, start,
                $"the recipe nests lists and mappings more than {RecipeLimits.MaxNesting} levels deep; a recipe needs a handful, so flatten it");
        }

        Count(1, 0, start, alias: null);
        var collection = new Collection(start is MappingStart, values - 1, characters);
        if (!start.Anchor.IsEmpty)
        {
            // YAML lets an anchor be defined again; an alias names the latest definition, which may still be open.
            collection.Anchor = new Anchored { Open = true };
            anchors[start.Anchor.Value] = collection.Anchor;
        }

        open.Push(collection);
    }

    private void Close()
    {
        var collection = open.Pop();
        if (collection.Anchor is { } anchor)
        {
            anchor.Open = false;
            anchor.Values = values - collection.ValuesBefore;
            anchor.Characters = characters - collection.CharactersBefore;
        }
    }

    private void Expand(AnchorAlias alias)
    {
        if (!anchors.TryGetValue(alias.Value.Value, out var anchor))
        {
            Count(1, 0, alias, alias: null); // an unknown alias: the model reports it
            return;
        }

        if (anchor.Open)
        {
            throw Refuse(DiagnosticCodes.NestingTooDeep, alias,
                $"alias *{alias.Value.Value} is used inside the node it names, so the recipe would nest without end");
        }

        Count(anchor.Values, anchor.Characters, alias, alias.Value.Value);
    }

    /// <summary>A node in a mapping alternates key, value; a key must be a plain scalar.</summary>
    private void TakePlace(ParsingEvent node)
    {
        if (!open.TryPeek(out var parent) || !parent.IsMapping)
        {
            return;
        }

        if (parent.NextIsKey && node is not Scalar)
        {
            var what = node switch
            {
                SequenceStart => "a list",
                MappingStart => "a mapping",
                AnchorAlias alias => $"an alias (*{alias.Value.Value})",
                _ => "not a plain value",
            };
            throw Refuse(DiagnosticCodes.ComplexKey, node,
                $"a mapping key must be a plain value, but it is {what}; write the key as a word or a quoted string");
        }

        parent.NextIsKey = !parent.NextIsKey;
    }

    private void Count(long addedValues, long addedCharacters, ParsingEvent at, string? alias)
    {
        values += addedValues;
        characters += addedCharacters;
        var expanded = alias is null ? "" : $" once alias *{alias} is expanded (aliases of aliases multiply)";
        if (values > RecipeLimits.MaxExpandedValues)
        {
            throw Refuse(DiagnosticCodes.NestingTooDeep, at,
                $"the recipe holds more than {RecipeLimits.MaxExpandedValues.ToString("N0", CultureInfo.InvariantCulture)} values{expanded}");
        }

        if (characters > RecipeLimits.MaxExpandedCharacters)
        {
            throw Refuse(DiagnosticCodes.NestingTooDeep, at,
                $"the recipe holds more than {RecipeLimits.MaxExpandedCharacters >> 20} Mi characters of text{expanded}");
        }
    }

    private LayerBuildException Refuse(DiagnosticCode code, ParsingEvent at, string message) =>
        new(code, RecipeParser.At(file, at.Start), message);

    /// <summary>A list or mapping still open: where the alternation of keys and values stands, and what was counted before it.</summary>
    private sealed class Collection(bool isMapping, long valuesBefore, long charactersBefore)
    {
        public bool IsMapping { get; } = isMapping;

        public bool NextIsKey { get; set; } = true;

        public long ValuesBefore { get; } = valuesBefore;

        public long CharactersBefore { get; } = charactersBefore;

        public Anchored? Anchor { get; set; }
    }

    /// <summary>What an alias of an anchor adds once expanded; unknown while the anchored node is still open.</summary>
    private sealed class Anchored
    {
        public bool Open { get; set; }

        public long Values { get; set; }

        public long Characters { get; set; }
    }
}
