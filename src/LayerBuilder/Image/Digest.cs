using System.Security.Cryptography;
using System.Text;

namespace LayerBuilder.Image;

/// <summary>
/// A content digest in the OCI form <c>sha256:&lt;64 lowercase hex&gt;</c> (image-spec descriptor.md).
/// Only sha256 is produced; that is what every loader verifies.
/// </summary>
public readonly record struct Digest
{
    private Digest(string hex) => Hex = hex;

    /// <summary>The 64 lowercase hex characters, without the algorithm.</summary>
    public string Hex { get; }

    public string Algorithm => "sha256";

    public static Digest FromHashBytes(ReadOnlySpan<byte> sha256) =>
        new(Convert.ToHexStringLower(sha256));

    public static Digest Of(ReadOnlySpan<byte> content) => FromHashBytes(SHA256.HashData(content));

    public static Digest Of(string utf8Text) => Of(Encoding.UTF8.GetBytes(utf8Text));

    /// <summary>Parses <c>sha256:hex</c>; anything else is rejected.</summary>
    public static Digest Parse(string value)
    {
        if (!TryParse(value, out var digest))
        {
            throw new FormatException($"'{value}' is not a sha256 digest (expected sha256: and 64 lowercase hex digits)");
        }

        return digest;
    }

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null || !value.StartsWith("sha256:", StringComparison.Ordinal) || value.Length != 71)
        {
            return false;
        }

        var hex = value.AsSpan(7);
        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        digest = new Digest(hex.ToString());
        return true;
    }

    public override string ToString() => "sha256:" + Hex;
}
