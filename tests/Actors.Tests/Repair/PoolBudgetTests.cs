using System.Collections.Immutable;
using NodeHealth.Actors.Repair.Budgets;

namespace NodeHealth.Actors.Tests.Repair;

public sealed class PoolBudgetTests
{
    [Theory]
    [InlineData(5, 5, false)]    // a pool of 5 nodes never stops on the percentage (EKS: more than five nodes)
    [InlineData(6, 1, false)]
    [InlineData(10, 2, false)]   // exactly 20 %: not more than 20 %
    [InlineData(10, 3, true)]
    [InlineData(6, 2, true)]     // 33 % of a pool of six
    [InlineData(100, 20, false)]
    [InlineData(100, 21, true)]
    public void EKS_default_stops_a_pool_of_more_than_5_nodes_with_more_than_20_percent_unhealthy(int nodes, int unhealthy, bool stops)
    {
        var stop = PoolBudgets.UnhealthyStop(PoolBudget.Default, new PoolCount("workers", nodes, unhealthy, 0));

        Assert.Equal(stops, stop is not null);
    }

    [Theory]
    [InlineData(2, 2, false)]
    [InlineData(2, 3, true)]
    public void A_count_limit_stops_above_that_many_unhealthy_nodes_whatever_the_pool_size(int limit, int unhealthy, bool stops)
    {
        var budget = PoolBudget.Default with { MaxUnhealthyCount = limit, MaxUnhealthyPercent = null };

        var stop = PoolBudgets.UnhealthyStop(budget, new PoolCount("gpu", 4, unhealthy, 0));

        Assert.Equal(stops, stop is not null);
        if (stops)
            Assert.Equal($"{unhealthy} of 4 nodes in pool gpu are unhealthy, more than the limit of {limit}", stop);
    }

    [Theory]
    [InlineData(50, 1, 1)]
    [InlineData(50, 3, 2)]   // half of three, rounded up
    [InlineData(10, 30, 3)]
    [InlineData(10, 0, 1)]   // at least one
    public void A_parallel_percentage_is_of_the_pools_unhealthy_nodes_rounded_up(int percent, int unhealthy, int limit)
    {
        var budget = PoolBudget.Default with { MaxParallelCount = null, MaxParallelPercent = percent };

        Assert.Equal(limit, PoolBudgets.ParallelLimit(budget, new PoolCount("workers", 100, unhealthy, 0)));
    }
}

public sealed class PoolMembershipTests
{
    [Theory]
    [InlineData("karpenter.sh/nodepool=gpu,eks.amazonaws.com/nodegroup=ng-1", "gpu")]   // the first pool label in the list wins
    [InlineData("eks.amazonaws.com/nodegroup=ng-1", "ng-1")]
    [InlineData("karpenter.sh/nodepool=", "(no pool)")]                                  // an empty value names no pool
    [InlineData("team=ml", "(no pool)")]
    public void A_node_belongs_to_the_pool_its_first_pool_label_names(string labels, string pool)
    {
        var node = new NodeHealth.Actors.Repair.NodeSnapshot("n1", labels.Split(',').Select(l => l.Split('=')).ToImmutableDictionary(kv => kv[0], kv => kv[1]), []);

        Assert.Equal(pool, BudgetPolicy.Default.PoolOf(node));
    }
}
