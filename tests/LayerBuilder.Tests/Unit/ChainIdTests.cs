using System.Security.Cryptography;
using System.Text;
using LayerBuilder.Image;

namespace LayerBuilder.Tests.Unit;

/// <summary>ChainIDs follow image-spec config.md: the first is the diff id, then sha256("chain diff").</summary>
public sealed class ChainIdTests
{
    private static readonly Digest A = Digest.Of("layer a");
    private static readonly Digest B = Digest.Of("layer b");
    private static readonly Digest C = Digest.Of("layer c");

    [Test]
    public void The_chain_id_of_one_layer_is_its_diff_id() =>
        Assert.That(ChainId.Compute([A]), Is.EqualTo(new[] { A }));

    [Test]
    public void Each_further_chain_id_hashes_the_previous_chain_id_a_space_and_the_diff_id()
    {
        var ab = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"sha256:{A.Hex} sha256:{B.Hex}")));
        var abc = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes($"{ab} sha256:{C.Hex}")));

        var chain = ChainId.Compute([A, B, C]);

        Assert.That(chain.Select(d => d.ToString()), Is.EqualTo(new[] { A.ToString(), ab, abc }));
    }

    [Test]
    public void The_order_of_layers_changes_the_chain() =>
        Assert.That(ChainId.Compute([A, B])[1], Is.Not.EqualTo(ChainId.Compute([B, A])[1]));

    [Test]
    public void No_layers_give_no_chain() =>
        Assert.That(ChainId.Compute([]), Is.Empty);
}
