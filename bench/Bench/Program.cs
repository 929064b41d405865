
// Benchmarks live apart from the tests; results go to docs/benchmarks.md with the machine description.
// Usage: dotnet run -c Release --project bench/Bench -- classify [lines] [agent dll]
//        dotnet run -c Release --project bench/Bench -- generate <file> [lines] [fault events per N lines, 0: none] [lines per form]
//        dotnet run -c Release --project bench/Bench -- generate-kubelet <file> [lines]
//        dotnet run -c Release --project bench/Bench -- ingest <grpc url> <token> [agents] [findings per agent] [batch]
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
switch (args.FirstOrDefault())
{
    case "ingest" when args.Length >= 3:
        await IngestBenchmark.RunAsync(new Uri(args[1]), args[2], Arg(3, 50), Arg(4, 2_000), Arg(5, 100));
        break;
    case "generate-kubelet" when args.Length >= 2:
        new KernelLogGenerator().WriteKubelet(args[1], Arg(2, 2_000));
        break;
    case "generate" when args.Length >= 2:
        var faults = new KernelLogGenerator(linesPerForm: Arg(4, 20_000)).Write(args[1], Arg(2, 1_000_000), Arg(3, 2_000));
        Console.WriteLine($"{args[1]}: {Arg(2, 1_000_000):N0} lines, {faults:N0} fault events");
        break;
    default:
        ClassifyBenchmark.Run(Arg(1, 1_000_000), args.Length > 2 ? args[2] : null);
        break;
}

int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) ? value : fallback;
