using LayerBuilder.Tool;

return await new BuildCommand(Console.Out, Console.Error).InvokeAsync(args).ConfigureAwait(false);
