using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;
using static NodeHealth.Actors.Tests.Repair.Nodes;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class RepairPolicyLoaderTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Example = Path.Combine(Root, "docs", "repair-policy.example.yaml");

    [Fact]
    public void An_empty_file_is_the_EKS_defaults_in_dry_run()
    {
        var policy = RepairPolicyLoader.Parse("empty.yaml", "", Catalog);

        Assert.Equal(RepairMode.DryRun, policy.Mode);
        Assert.Equal(RepairPolicy.Default.Conditions.Select(c => c.ToString()), policy.Conditions.Select(c => c.ToString()));
        Assert.Equal(TimeSpan.FromMinutes(10), policy.Rule("AcceleratedHardwareReady")!.Wait);
        Assert.All(["KernelReady", "StorageReady", "NetworkingReady", "ContainerRuntimeReady", "Ready"], c => Assert.Equal(TimeSpan.FromMinutes(30), policy.Rule(c)!.Wait));
        Assert.Equal((20, 5, (int?)null), (policy.Budgets.EveryPool.MaxUnhealthyPercent, policy.Budgets.EveryPool.SmallPoolNodes, policy.Budgets.EveryPool.MaxUnhealthyCount));
        Assert.Empty(policy.MaintenanceWindows);
    }

    [Fact]
    public void The_documented_example_loads_and_is_the_one_the_doc_shows()
    {
        var policy = RepairPolicyLoader.Load(Example, Catalog, RepairMode.On);

        Assert.Equal(RepairMode.On, policy.Mode);
        Assert.Equal((TimeSpan.FromMinutes(5), RepairAction.Replace), (policy.Override("AcceleratedHardwareReady", "NvidiaXID48Error")!.Wait, policy.Override("AcceleratedHardwareReady", "NvidiaXID48Error")!.Action));
        Assert.Equal((TimeSpan.FromMinutes(20), RepairAction.Reboot), (policy.Rule("Ready")!.Wait, policy.Rule("Ready")!.Action));
        Assert.Equal((1, 1), (policy.Budgets.For("gpu-h100").MaxUnhealthyCount, policy.Budgets.For("gpu-h100").MaxParallelCount));
        Assert.Equal(2, policy.Budgets.For("other").MaxParallelCount);
        Assert.Equal(2, policy.MaintenanceWindows.Length);
        Assert.Contains(File.ReadAllText(Example).TrimEnd(), File.ReadAllText(Path.Combine(Root, "docs", "repair-policy.md")));
    }

    [Theory]
    [InlineData("overrides:\n  - { condition: DiskPressure, wait: 5m }\n", "p.yaml line 2: DiskPressure is a kubelet pressure; it never triggers repair")]
    [InlineData("overrides:\n  - { condition: KernelReddy, wait: 5m }\n", "p.yaml line 2: condition 'KernelReddy' is not one repair acts on")]
    [InlineData("overrides:\n  - { reason: NvidiaXID79Error, wait: 5m }\n", "p.yaml line 2: an override needs condition")]
    [InlineData("overrides:\n  - { condition: AcceleratedHardwareReady, reason: NvidiaXID31Error, action: Reboot }\n", "p.yaml line 2: the catalog defines no reason NvidiaXID31Error for AcceleratedHardwareReady")]
    [InlineData("overrides:\n  - { condition: KernelReady, reason: ForkFailedOutOfPIDs }\n", "p.yaml line 2: override of KernelReady/ForkFailedOutOfPIDs sets neither wait nor action")]
    [InlineData("overrides:\n  - { condition: KernelReady, action: Restart }\n", "p.yaml line 2: action 'Restart' must be Reboot, Replace or None")]
    [InlineData("overrides:\n  - { condition: KernelReady, wait: 10 }\n", "p.yaml line 2: wait '10' must look like 90s, 10m, 1h or 7d")]
    [InlineData("overrides:\n  - { condition: KernelReady, wait: 60d }\n", "p.yaml line 2: wait 60d is longer than 30d")]
    [InlineData("overrides:\n  - { condition: KernelReady, wait: 5m }\n  - { condition: KernelReady, action: None }\n", "p.yaml line 3: KernelReady is overridden twice (first on line 2)")]
    [InlineData("overrides:\n  - { condition: KernelReady, wiat: 5m }\n", "p.yaml line 2, column 31: unknown key 'wiat'; the keys here are action, condition, reason, wait")]
    [InlineData("budget:\n  maxParallelTotal: 3\n", "p.yaml line 1, column 1: unknown key 'budget'")]
    [InlineData("budgets:\n  maxUnhealthyCount: 2\n  maxUnhealthyPercent: 10\n", "p.yaml line 2: maxUnhealthyCount and maxUnhealthyPercent exclude each other")]
    [InlineData("budgets:\n  maxParallelCount: 2\n  maxParallelPercent: 10\n", "p.yaml line 2: maxParallelCount and maxParallelPercent exclude each other")]
    [InlineData("budgets:\n  maxUnhealthyPercent: 120\n", "p.yaml line 2: maxUnhealthyPercent 120 must be 1 to 100")]
    [InlineData("budgets:\n  maxParallelTotal: 0\n", "p.yaml line 2: maxParallelTotal 0 must be 1 to 100000")]
    [InlineData("budgets:\n  poolLabels: []\n", "p.yaml line 2: poolLabels is empty")]
    [InlineData("budgets:\n  poolLabels: ['not a label']\n", "p.yaml line 2: poolLabels: 'not a label' is not a Kubernetes label key")]
    [InlineData("budgets:\n  pools:\n    - { name: gpu, maxParallelCount: 1 }\n    - { name: gpu, maxParallelCount: 2 }\n", "p.yaml line 4: pool gpu is listed twice")]
    [InlineData("budgets:\n  pools:\n    - { maxParallelCount: 1 }\n", "p.yaml line 3: a pool needs name")]
    [InlineData("budgets:\n  maxParallelTotal: lots\n", "p.yaml line 2, column 21:")]
    [InlineData("escalation:\n  maxAttemptsPerNode: 0\n", "p.yaml line 2: maxAttemptsPerNode 0 must be 1 to 100")]
    [InlineData("escalation:\n  backoff: 3h\n", "p.yaml line 2: backoff 3h is longer than maxBackoff 2h")]
    [InlineData("escalation:\n  attemptWindow: 0s\n", "p.yaml line 2: attemptWindow must be longer than 0")]
    [InlineData("zoneStormBreaker:\n  thresholdPercent: 0\n", "p.yaml line 2: thresholdPercent 0 must be 1 to 100")]
    [InlineData("zoneStormBreaker:\n  window: soon\n", "p.yaml line 2: window 'soon' must look like 90s, 10m, 1h or 7d")]
    [InlineData("maintenanceWindows:\n  - { days: [Fri], start: '22:00', end: '06:00', timeZone: Mars/Olympus }\n", "p.yaml line 2: time zone 'Mars/Olympus' is unknown")]
    [InlineData("maintenanceWindows:\n  - { days: [Fry], start: '22:00', end: '06:00', timeZone: UTC }\n", "p.yaml line 2: day 'Fry' must be one of Sun, Mon")]
    [InlineData("maintenanceWindows:\n  - { start: '22:00', end: '06:00', timeZone: UTC }\n", "p.yaml line 2: a maintenance window needs days")]
    [InlineData("maintenanceWindows:\n  - { days: [Fri], start: '10pm', end: '06:00', timeZone: UTC }\n", "p.yaml line 2: start '10pm' must be a 24-hour time HH:mm")]
    [InlineData("maintenanceWindows:\n  - { days: [Fri], start: '06:00', end: '06:00', timeZone: UTC }\n", "p.yaml line 2: start and end are both 06:00")]
    [InlineData("maintenanceWindows:\n  - { days: [Fri], start: '06:00', end: '08:00' }\n", "p.yaml line 2: a maintenance window needs timeZone")]
    [InlineData("optOutKeys: ['bad key!']\n", "p.yaml line 1: optOutKeys: 'bad key!' is not a Kubernetes label key")]
    [InlineData("overrides: [ {\n", "p.yaml line 2, column 1:")]
    public void A_bad_policy_file_is_refused_with_its_file_line_and_problem(string yaml, string error)
    {
        var e = Assert.Throws<RepairPolicyException>(() => RepairPolicyLoader.Parse("p.yaml", yaml, Catalog));

        Assert.StartsWith(error, e.Message);
    }

    [Fact]
    public void A_missing_or_huge_file_is_refused_by_name()
    {
        var missing = Assert.Throws<RepairPolicyException>(() => RepairPolicyLoader.Load("/nonexistent/repair.yaml", Catalog));
        var huge = Assert.Throws<RepairPolicyException>(() => RepairPolicyLoader.Parse("big.yaml", new string('#', RepairPolicyLoader.MaxFileBytes + 1), Catalog));

        Assert.Equal("Repair policy file /nonexistent/repair.yaml does not exist (Repair:PolicyFile)", missing.Message);
        Assert.StartsWith("big.yaml: ", huge.Message);
    }

    [Fact]
    public void A_pool_entry_keeps_the_every_pool_limits_it_does_not_set_and_a_count_replaces_a_percentage()
    {
        var policy = RepairPolicyLoader.Parse("p.yaml", """
            budgets:
              maxParallelCount: 3
              pools:
                - { name: gpu, maxUnhealthyCount: 1 }
            """, Catalog);

        var gpu = policy.Budgets.For("gpu");
        Assert.Equal((1, (int?)null, 3), (gpu.MaxUnhealthyCount, gpu.MaxUnhealthyPercent, gpu.MaxParallelCount));
        Assert.StartsWith("budgets.pools gpu, p.yaml line 4", gpu.Origin);
        Assert.Equal((20, 3), (policy.Budgets.For("cpu").MaxUnhealthyPercent!.Value, policy.Budgets.For("cpu").MaxParallelCount!.Value));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
