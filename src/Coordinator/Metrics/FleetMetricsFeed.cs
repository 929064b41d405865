using Akka.Actor;
using Akka.Hosting;
using NodeHealth.Actors.Fleet;
using NodeHealth.Actors.Metrics;

namespace NodeHealth.Coordinator.Metrics;

/// <summary>
/// Reads this coordinator's fleet view every <see cref="MetricsOptions.FleetEvery"/> and publishes it as the fleet
/// gauges (<see cref="FleetMetrics"/>): the view answers one list, the scrape reads the last one.
/// </summary>
public sealed class FleetMetricsFeed(IRequiredActor<FleetView> fleetView, MetricsOptions options, TimeProvider clock, ILogger<FleetMetricsFeed> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var view = await fleetView.GetAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.FleetEvery, clock);
            do
            {
                try
                {
                    var list = await view.Ask<FleetView.NodeList>(FleetView.ListNodes.Instance, options.FleetEvery, stoppingToken);
                    FleetMetrics.Publish(list.Nodes, clock.GetUtcNow().UtcDateTime);
                }
                catch (AskTimeoutException)
                {
                    log.LogWarning("The fleet view did not answer within {Every}; the fleet gauges keep their last values", options.FleetEvery);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
