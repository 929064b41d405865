
// Benchmarks live apart from the tests; results go to docs/benchmarks.md with the machine description.
// Usage: dotnet run -c Release --project bench/Bench -- classify [lines] [agent dll]
//        dotnet run -c Release --project bench/Bench -- classify-gpu [lines] [agent dll]   (the log of an 8-GPU training node)
//        dotnet run -c Release --project bench/Bench -- generate <file> [lines] [fault events per N lines, 0: none] [lines per form] [gpu]
//        dotnet run -c Release --project bench/Bench -- generate-kubelet <file> [lines]
//        dotnet run -c Release --project bench/Bench -- ingest <grpc url> <token> [agents] [findings per agent] [batch]
//        dotnet run -c Release --project bench/Bench -- fleet <grpc url,url,...> <token> [agents] [findings per agent] [batch]
//        dotnet run -c Release --project bench/Bench -- failover <grpc url,url,...> <token> <pid to SIGKILL> [agents] [seconds]
//        (bench/cluster.sh starts PostgreSQL and the coordinators for these two)
//        dotnet run -c Release --project bench/Bench -- simulate [nodes] [days] [scenario]   (the policy simulator, DESIGN §8)
//        dotnet run -c Release --project bench/Bench -- latency [samples] [coordinator dll] [agent dll]   (root: writes /dev/kmsg)
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
switch (args.FirstOrDefault())
{
    case "ingest" when args.Length >= 3:
        await IngestBenchmark.RunAsync(new Uri(args[1]), args[2], Arg(3, 50), Arg(4, 2_000), Arg(5, 100));
        break;
    case "fleet" when args.Length >= 3:
        await FleetBenchmark.IngestAsync(Urls(args[1]), args[2], Arg(3, 5_000), Arg(4, 20), Arg(5, 10));
        break;
    case "failover" when args.Length >= 4:
        await FleetBenchmark.FailoverAsync(Urls(args[1]), args[2], int.Parse(args[3]), Arg(4, 1_000), Arg(5, 40));
        break;
    case "latency":
        await KmsgToPatchLatency.RunAsync(
            args.Length > 3 ? args[2] : "src/Coordinator/bin/Release/net10.0/NodeHealth.Coordinator.dll",
            args.Length > 3 ? args[3] : "src/NodeHost/bin/Release/net10.0/NodeHealth.NodeHost.dll", Arg(1, 300));
        break;
    case "simulate":
        SimulationBenchmark.Run(args.Length > 3 ? args[3] : "scenarios/default.yaml", Arg(1, 10_000), Arg(2, 365));
        break;
    case "generate-kubelet" when args.Length >= 2:
        new KernelLogGenerator().WriteKubelet(args[1], Arg(2, 2_000));
        break;
    case "generate" when args.Length >= 2:
        var faults = new KernelLogGenerator(linesPerForm: Arg(4, 20_000), gpuNode: args.ElementAtOrDefault(5) == "gpu").Write(args[1], Arg(2, 1_000_000), Arg(3, 2_000));
        Console.WriteLine($"{args[1]}: {Arg(2, 1_000_000):N0} lines, {faults:N0} fault events");
        break;
    case "classify-gpu":
        ClassifyBenchmark.Run(Arg(1, 1_000_000), args.Length > 2 ? args[2] : null, gpuNode: true);
        break;
    default:
        ClassifyBenchmark.Run(Arg(1, 1_000_000), args.Length > 2 ? args[2] : null);
        break;
}

static IReadOnlyList<Uri> Urls(string list) => [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u))];

int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], out var value) ? value : fallback;
