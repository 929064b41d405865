namespace NodeHealth.Contracts;

/// <summary>The five NodeConditions we own; their names are the Kubernetes condition types.</summary>
public enum ConditionType
{
    Unknown = 0,
    KernelReady = 1,
    StorageReady = 2,
    NetworkingReady = 3,
    ContainerRuntimeReady = 4,
    AcceleratedHardwareReady = 5,
}

/// <summary>Fatal sets the condition False, Warning is a Warning event, Info a Normal event (EKS semantics).</summary>
public enum Severity
{
    Unknown = 0,
    Info = 1,
    Warning = 2,
    Fatal = 3,
}

/// <summary>Kubernetes condition status.</summary>
public enum ConditionStatus
{
    Unknown = 0,
    True = 1,
    False = 2,
}

public static class ConditionTypes
{
    public static readonly IReadOnlyList<ConditionType> All =
    [
        ConditionType.KernelReady,
        ConditionType.StorageReady,
        ConditionType.NetworkingReady,
        ConditionType.ContainerRuntimeReady,
        ConditionType.AcceleratedHardwareReady,
    ];

    public static bool IsDefined(ConditionType type) => type is >= ConditionType.KernelReady and <= ConditionType.AcceleratedHardwareReady;
}
