using NodeHealth.Contracts;
using NodeHealth.Coordinator.Api;

namespace NodeHealth.Coordinator.Tests.Api;

public sealed class PagingTests
{
    private static readonly string[] Names = ["a-1", "a-2", "b-1", "c-1", "c-2"];

    [Fact]
    public void Pages_follow_each_other_through_the_cursor_until_the_last_has_none()
    {
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (paging, problem) = Paging.Parse("2", cursor, NodeNames.IsValid);
            Assert.Null(problem);
            var (items, next) = paging!.Apply(Names, n => n);
            seen.AddRange(items);
            cursor = next;
            pages++;
        } while (cursor is not null);

        Assert.Equal(Names, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public void Without_a_limit_everything_is_one_page()
    {
        var (items, next) = Paging.All.Apply(Names, n => n);

        Assert.Equal(Names, items);
        Assert.Null(next);
    }

    [Fact]
    public void A_page_that_ends_exactly_at_the_last_item_has_no_next()
    {
        var (items, next) = Paging.Parse("5", null, NodeNames.IsValid).Paging!.Apply(Names, n => n);

        Assert.Equal(5, items.Count);
        Assert.Null(next);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1001")]
    [InlineData("99999999999999999999")]
    [InlineData("ten")]
    [InlineData("1e3")]
    public void A_limit_outside_1_to_1000_is_refused(string limit)
    {
        var (paging, problem) = Paging.Parse(limit, null, NodeNames.IsValid);

        Assert.Null(paging);
        Assert.Equal("limit must be a whole number from 1 to 1000", problem);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("dGhpcyBpcyBub3QgYSBjdXJzb3I")] // "this is not a cursor"
    [InlineData("djE6Tk9UX0FfTk9ERQ")] // "v1:NOT_A_NODE": a cursor's shape, not a node name
    public void A_cursor_this_api_did_not_give_out_is_refused(string cursor)
    {
        var (paging, problem) = Paging.Parse(null, cursor, NodeNames.IsValid);

        Assert.Null(paging);
        Assert.StartsWith("cursor is not one this API gave out", problem);
    }

    [Fact]
    public void A_huge_cursor_is_refused_without_decoding_it()
    {
        Assert.NotNull(Paging.Parse(null, new string('A', 100_000), NodeNames.IsValid).Problem);
    }
}
