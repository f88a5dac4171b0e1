using System.Buffers.Binary;

namespace LayerBuilder.EngineTests.Support;

/// <summary>Just enough ELF (System V gABI) to tell a static executable from a dynamic one.</summary>
public static class Elf
{
    private const uint ProgramInterpreter = 3; // PT_INTERP: names the dynamic loader
    private const uint Dynamic = 2; // PT_DYNAMIC

    public static bool IsStaticallyLinked(string path, out string problem)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7F || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
        {
            problem = "is not an ELF executable";
            return false;
        }

        if (bytes[4] != 2 || bytes[5] != 1)
        {
            problem = "is not a 64-bit little-endian ELF file";
            return false;
        }

        var header = bytes.AsSpan();
        var tableOffset = (int)BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        for (var i = 0; i < count; i++)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(header[(tableOffset + (i * entrySize))..]);
            if (type is ProgramInterpreter or Dynamic)
            {
                problem = "is dynamically linked";
                return false;
            }
        }

        problem = "";
        return true;
    }
}
