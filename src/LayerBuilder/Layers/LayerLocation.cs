namespace LayerBuilder.Layers;

/// <summary>
/// Where a planned layer's tar will be once it is written. Every step is planned before any layer is
/// written, so a later step that copies up a file of a lower layer (a hard link's target) addresses its
/// bytes through this holder: reading them waits until that layer is in its final place.
/// </summary>
internal sealed class LayerLocation
{
    private readonly TaskCompletionSource<(string Path, long Start)> place = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A layer that is already finished at <paramref name="finished"/>.</summary>
    public static LayerLocation At(string finished)
    {
        var location = new LayerLocation();
        location.Complete(finished);
        return location;
    }

    /// <summary>The layer is finished in <paramref name="finished"/>, its bytes starting at <paramref name="start"/>.</summary>
    public void Complete(string finished, long start = 0) => place.TrySetResult((finished, start));

    public void Fail(Exception reason) => place.TrySetException(reason);

    /// <summary>Completes when the layer is in its final place (or failed).</summary>
    public Task Placed => place.Task;

    /// <summary>The final file and where the layer starts in it, waiting for the layer to be written if need be.</summary>
    public (string Path, long Start) WaitForPlace() => place.Task.GetAwaiter().GetResult();

    public override string ToString() => place.Task.IsCompletedSuccessfully ? place.Task.Result.Path : "(being written)";
}
