namespace NodeHealth.Coordinator.Api;

/// <summary>problem+json answers more than one endpoint gives, worded once.</summary>
public static class ApiProblems
{
    public static IResult InvalidNodeName() =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid node name",
            detail: "A node name is a Kubernetes DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters.");

    /// <summary>401 with the reason the token was refused, and where an operator finds it.</summary>
    public static IResult OperatorTokenRequired(HttpRequest request, string problem)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Operator token required", detail: problem,
            extensions: new Dictionary<string, object?> { ["hint"] = "the token is in the coordinator's data directory, file operator-token" });
    }

    public static IResult BadRequest(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail);
}
