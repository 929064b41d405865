namespace NodeHealth.Contracts;

/// <summary>
/// Marks every type that crosses a process boundary or is written to the journal; the Akka
/// serializer is bound to it so none of ours ever falls back to Newtonsoft.
/// </summary>
public interface IHealthProtocolMessage;

/// <summary>Routes a message to the NodeHealth entity of one Kubernetes node.</summary>
public interface IWithNodeName
{
    string NodeName { get; }
}
