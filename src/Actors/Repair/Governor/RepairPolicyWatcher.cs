using Akka.Actor;
using Akka.Event;
using NodeHealth.Actors.Detection.Reload;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// Polls the repair policy file (every 2 s by default; by content, as the catalog watcher does, so a ConfigMap's
/// symlink swap counts) and loads an edit into the <see cref="RepairPolicyHolder"/>. An edit that does not load
/// leaves the last good policy in force, logged once per edit and shown by GET /api/repairs until it is fixed.
/// </summary>
public sealed class RepairPolicyWatcher : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan DefaultPollEvery = TimeSpan.FromSeconds(2);

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public RepairPolicyWatcher(RepairPolicyHolder holder, Func<ReasonCatalog> catalog, TimeSpan pollEvery)
    {
        var file = holder.File ?? throw new ArgumentException("a policy without a file has nothing to watch");
        Receive<Poll>(_ =>
        {
            var fingerprint = CatalogFingerprint.Read([file]);
            if (fingerprint == holder.Fingerprint)
                return;
            try
            {
                var policy = RepairPolicyLoader.Load(file, catalog(), holder.Current.Mode);
                var wasRejected = holder.Problem is not null;
                holder.Accept(policy, fingerprint);
                _log.Info("Repair policy reloaded from {0}{1}", file, wasRejected ? "; the earlier refused edit is fixed" : "");
            }
            catch (RepairPolicyException e)
            {
                holder.Reject(e.Message, fingerprint);
                _log.Error("Repair policy edit refused, the last good policy stays in force: {0}", e.Message);
            }
        });
        Timers.StartPeriodicTimer(Poll.Instance, Poll.Instance, pollEvery);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Look at the file now (the timer sends it; tests too).</summary>
    public sealed record Poll
    {
        public static readonly Poll Instance = new();
    }
}
