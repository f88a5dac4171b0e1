namespace LayerBuilder.Layers;

/// <summary>
/// Where a layer's tar will be once it is finished. Steps are planned while earlier layers are still
/// being written (or moved into the cache), so content inside a lower layer is addressed through this
/// holder: reading it waits until the layer is in its final place.
/// </summary>
public sealed class LayerFile
{
    private readonly TaskCompletionSource<string> path = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A layer that is already finished at <paramref name="finished"/>.</summary>
    public static LayerFile At(string finished)
    {
        var file = new LayerFile();
        file.Complete(finished);
        return file;
    }

    public static implicit operator LayerFile(string finished) => At(finished);

    public void Complete(string finished) => path.TrySetResult(finished);

    public void Fail(Exception reason) => path.TrySetException(reason);

    /// <summary>The final path, waiting for the layer to be written if need be.</summary>
    public string WaitForPath() => path.Task.GetAwaiter().GetResult();

    public override string ToString() => path.Task.IsCompletedSuccessfully ? path.Task.Result : "(being written)";
}
