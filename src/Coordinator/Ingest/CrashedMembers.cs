using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace NodeHealth.Coordinator.Ingest;

/// <summary>
/// Ends the waits of writes that may have gone to a member which crashed. A report sent to an entity on a member that
/// died is never answered: without this its agent waited out the whole persist timeout before resending, the last
/// 10 s of a failover (docs/benchmarks.md, "Coordinator cluster"). When a member that was downed (not one that left
/// gracefully, whose shards were handed off) is removed, every write in flight on this coordinator ends Unavailable at
/// once: its agent resends, the shard region buffers the resend until the shard has its new home, and the entity drops
/// whatever it had already persisted. Writes to healthy members that happened to be in flight are resent too; at
/// one removal per crash that costs little.
/// </summary>
public sealed class CrashedMembers
{
    private CancellationTokenSource _epoch = new();

    public CrashedMembers(ActorSystem system) =>
        system.ActorOf(Props.Create(() => new Watcher(this)), "ingest-crashed-members");

    /// <summary>Cancelled when a downed member is removed after this token was taken.</summary>
    public CancellationToken Current => Volatile.Read(ref _epoch).Token;

    private void Crashed()
    {
        // Not disposed: a write may still be linking to its token; a source without a timer holds nothing to release.
        Interlocked.Exchange(ref _epoch, new CancellationTokenSource()).Cancel();
    }

    private sealed class Watcher : ReceiveActor
    {
        public Watcher(CrashedMembers owner)
        {
            Receive<ClusterEvent.MemberRemoved>(removed =>
            {
                if (removed.PreviousStatus != MemberStatus.Down)
                    return;
                Context.GetLogger().Info("Coordinator {0} was downed and removed: writes in flight end Unavailable, their agents resend", removed.Member.Address);
                owner.Crashed();
            });
            Receive<ClusterEvent.CurrentClusterState>(_ => { });
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberRemoved));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }
}
