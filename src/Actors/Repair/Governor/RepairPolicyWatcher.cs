using Akka.Event;
using NodeHealth.Actors.Reload;
using NodeHealth.Actors.Repair.Policy;
using NodeHealth.Contracts.Catalog;

namespace NodeHealth.Actors.Repair.Governor;

/// <summary>
/// Polls the repair policy file and loads an edit into the <see cref="RepairPolicyHolder"/> (see
/// <see cref="FileReloadWatcher{T}"/>). A refused edit is logged once per edit and shown by GET /api/repairs until
/// it is fixed.
/// </summary>
public sealed class RepairPolicyWatcher(RepairPolicyHolder holder, Func<ReasonCatalog> catalog, TimeSpan pollEvery)
    : FileReloadWatcher<RepairPolicy>(holder, [FileOf(holder)], pollEvery)
{
    private readonly ILoggingAdapter _log = Context.GetLogger();

    protected override RepairPolicy Load() => RepairPolicyLoader.Load(Files[0], catalog(), Holder.Current.Mode);

    protected override bool IsRefusal(Exception e) => e is RepairPolicyException;

    protected override void Accepted(RepairPolicy policy, bool fixesRefusal) =>
        _log.Info("Repair policy reloaded from {0}{1}", Files[0], fixesRefusal ? "; the earlier refused edit is fixed" : "");

    protected override void Refused(string problem) =>
        _log.Error("Repair policy edit refused, the last good policy stays in force: {0}", problem);

    private static string FileOf(RepairPolicyHolder holder) =>
        holder.File ?? throw new ArgumentException("a policy without a file has nothing to watch");
}
