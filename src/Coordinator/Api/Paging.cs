using System.Buffers.Text;
using System.Text;
using NodeHealth.Contracts;

namespace NodeHealth.Coordinator.Api;

/// <summary>
/// A page of a list ordered by name: at most <see cref="Limit"/> items after <see cref="After"/>. The cursor is opaque
/// to clients (base64url of a versioned key); a cursor that does not decode to a valid key is refused, never guessed at.
/// </summary>
public sealed record Paging(int? Limit, string? After)
{
    public const int MaxLimit = 1000;
    private const string Version = "v1:";

    public static readonly Paging All = new(null, null);

    /// <summary>The paging, or what is wrong with it. <paramref name="validKey"/> judges a decoded key (a node name, a repair id).</summary>
    public static (Paging? Paging, string? Problem) Parse(string? limit, string? cursor, Func<string, bool> validKey)
    {
        int? count = null;
        if (limit is { Length: > 0 })
        {
            if (limit.Length > 9 || !int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1 || n > MaxLimit)
                return (null, $"limit must be a whole number from 1 to {MaxLimit}");
            count = n;
        }

        string? after = null;
        if (cursor is { Length: > 0 })
        {
            if (Decode(cursor) is not { } key || !validKey(key))
                return (null, "cursor is not one this API gave out: pass the X-Next-Cursor of the previous page unchanged");
            after = key;
        }

        return (new Paging(count, after), null);
    }

    public static string CursorFor(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Version + key));

    /// <summary>The page of <paramref name="ordered"/> (ascending by <paramref name="keyOf"/>, ordinal) and the cursor of the next one, if any.</summary>
    public (IReadOnlyList<T> Items, string? Next) Apply<T>(IEnumerable<T> ordered, Func<T, string> keyOf)
    {
        var rest = After is null ? ordered : ordered.SkipWhile(item => string.CompareOrdinal(keyOf(item), After) <= 0);
        if (Limit is not { } limit)
            return ([.. rest], null);
        var page = rest.Take(limit + 1).ToList();
        if (page.Count <= limit)
            return (page, null);
        page.RemoveAt(limit);
        return (page, CursorFor(keyOf(page[^1])));
    }

    /// <summary>Tells the client where the next page is: X-Next-Cursor, and a Link rel="next" for generic clients.</summary>
    public static void Announce(HttpResponse response, string? next)
    {
        if (next is null)
            return;
        response.Headers["X-Next-Cursor"] = next;
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.HttpContext.Request.QueryString.Value);
        query["cursor"] = next;
        var link = Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(response.HttpContext.Request.Path, query);
        response.Headers.Link = $"<{link}>; rel=\"next\"";
    }

    private static string? Decode(string cursor)
    {
        if (cursor.Length > 400)
            return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Version, StringComparison.Ordinal) ? text[Version.Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Query parameters an endpoint does not know are refused: a misspelt filter must not silently list everything.</summary>
public static class QueryCheck
{
    public static IResult? Unknown(HttpRequest request, params string[] known)
    {
        foreach (var key in request.Query.Keys)
            if (!known.Contains(key, StringComparer.Ordinal))
                return ApiProblems.BadRequest("Unknown query parameter",
                    $"'{(key.Length <= 64 ? key : key[..64] + "…")}' is not a parameter of {request.Path}; known: {string.Join(", ", known)}.");
        return null;
    }
}
