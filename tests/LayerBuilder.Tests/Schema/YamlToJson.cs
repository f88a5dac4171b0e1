using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace LayerBuilder.Tests.Schema;

/// <summary>
/// Turns a recipe's YAML into the JSON a schema validator reads. Scalars stay strings, because the
/// parser ignores YAML's own typing (<c>8080</c> and <c>true</c> are read as text); the schema has to
/// accept what the parser accepts, so it is checked against the same view of the document.
/// </summary>
internal static class YamlToJson
{
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value ?? "", Convert(pair.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new NotSupportedException($"YAML node {node.NodeType} at {node.Start}"),
    };
}
