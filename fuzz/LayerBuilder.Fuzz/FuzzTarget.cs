namespace LayerBuilder.Fuzz;

/// <summary>
/// One thing the fuzzer feeds bytes to. A run passes when it ends normally or with the product's own
/// diagnostic exception; any other exception is a crash (a defect: bad input must always become an LB
/// diagnostic). Hangs and memory blow-ups are caught outside, by the fuzzer's timeout and the GC heap limit.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name <c>fuzz/run.sh</c> and the corpus folder use.</summary>
    string Name { get; }

    /// <summary>Runs the product on <paramref name="input"/> in <paramref name="workspace"/>, an empty folder of its own.</summary>
    void Run(byte[] input, string workspace);
}
