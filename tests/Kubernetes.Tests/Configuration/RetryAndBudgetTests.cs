using NodeHealth.Coordinator.Kubernetes;
using NodeHealth.Kubernetes.Tests.Support;

namespace NodeHealth.Kubernetes.Tests.Configuration;

public sealed class RetryAndBudgetTests
{
    private static readonly RetryPolicy Policy = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(1, 0.0, 250)]
    [InlineData(1, 1.0, 500)]
    [InlineData(3, 0.0, 1000)]
    [InlineData(20, 1.0, 30000)]
    public void Backoff_doubles_up_to_the_cap_with_jitter_between_half_and_all_of_the_step(int attempt, double jitter, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Policy.Delay(attempt, retryAfter: null, jitter));
    }

    [Fact]
    public void Retry_After_is_a_floor()
    {
        Assert.True(Policy.Delay(1, TimeSpan.FromSeconds(7), 0.5) >= TimeSpan.FromSeconds(7));
    }

    [Fact]
    public void The_budget_lets_a_burst_through_then_spaces_requests_by_the_rate()
    {
        var budget = new RequestBudget(queriesPerSecond: 2, burst: 3, new ManualClock(Writers.T0));

        var waits = Enumerable.Range(0, 5).Select(_ => budget.Take()).ToList();

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)], waits);
    }
}
