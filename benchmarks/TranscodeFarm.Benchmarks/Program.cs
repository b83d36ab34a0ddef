using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/TranscodeFarm.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
