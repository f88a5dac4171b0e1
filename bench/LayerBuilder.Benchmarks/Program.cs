using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/LayerBuilder.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
