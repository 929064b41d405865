using Akka.Actor;

namespace NodeHealth.Actors.Detection.Reload;

/// <summary>What a log monitor does with catalog reloads: listen for them, and say in its status detail when an edit was refused.</summary>
public static class CatalogReloads
{
    public static void Subscribe(ActorSystem system, IActorRef monitor)
    {
        system.EventStream.Subscribe(monitor, typeof(CatalogChanged));
        system.EventStream.Subscribe(monitor, typeof(CatalogRejected));
    }

    /// <summary>The status detail while an edit is refused: the reason stays as it is (condition reasons are an EKS contract).</summary>
    public static string Detail(string detail, string? problem) =>
        problem is null ? detail : $"{detail}. Catalog edit refused, the last good rules keep running: {problem}";
}
