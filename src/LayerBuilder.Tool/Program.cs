using LayerBuilder.Tool;

using var signals = TerminationSignals.Register();
var exitCode = await new BuildCommand(Console.Out, Console.Error).InvokeAsync(args, signals.Token).ConfigureAwait(false);
return signals.ExitCodeFor(exitCode);
