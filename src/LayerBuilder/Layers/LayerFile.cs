namespace LayerBuilder.Layers;

/// <summary>
/// Where a layer's tar will be once it is finished. Steps are planned while earlier layers are still
/// being written (or moved into the cache), so content inside a lower layer is addressed through this
/// holder: reading it waits until the layer is in its final place.
/// </summary>
public sealed class LayerFile
{
    private readonly TaskCompletionSource<(string Path, long Start)> place = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A layer that is already finished at <paramref name="finished"/>.</summary>
    public static LayerFile At(string finished)
    {
        var file = new LayerFile();
        file.Complete(finished);
        return file;
    }

    public static implicit operator LayerFile(string finished) => At(finished);

    /// <summary>The layer is finished in <paramref name="finished"/>, its bytes starting at <paramref name="start"/>.</summary>
    public void Complete(string finished, long start = 0) => place.TrySetResult((finished, start));

    public void Fail(Exception reason) => place.TrySetException(reason);

    /// <summary>The final file and where the layer starts in it, waiting for the layer to be written if need be.</summary>
    public (string Path, long Start) WaitForPlace() => place.Task.GetAwaiter().GetResult();

    public override string ToString() => place.Task.IsCompletedSuccessfully ? place.Task.Result.Path : "(being written)";
}
