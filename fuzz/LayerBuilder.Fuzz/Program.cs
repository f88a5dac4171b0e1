using LayerBuilder.Fuzz;
using SharpFuzz;

// fuzz TARGET            run under afl-fuzz (fuzz/run.sh starts it so)
// fuzz TARGET FILE...    run inputs once each, outside the fuzzer: replay a finding, check a corpus
if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } target)
{
    await Console.Error.WriteLineAsync($"usage: LayerBuilder.Fuzz {string.Join('|', FuzzTargets.All.Select(t => t.Name))} [FILE...]");
    return 2;
}

var scratch = Directory.CreateTempSubdirectory("layerbuilder-fuzz-").FullName;
try
{
    if (args.Length > 1)
    {
        foreach (var file in args.Skip(1))
        {
            FuzzTargets.RunOne(target, await File.ReadAllBytesAsync(file), scratch);
            Console.WriteLine($"ok {file}");
        }

        return 0;
    }

    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        FuzzTargets.RunOne(target, copy.ToArray(), scratch);
    });
    return 0;
}
finally
{
    Directory.Delete(scratch, recursive: true);
}
