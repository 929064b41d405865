namespace NodeHealth.Coordinator.Api;

/// <summary>problem+json answers more than one endpoint gives, worded once.</summary>
public static class ApiProblems
{
    public static IResult InvalidNodeName() =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid node name",
            detail: "A node name is a Kubernetes DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters.");
}
