using NodeHealth.Actors.Health;
using NodeHealth.Contracts;
using NodeHealth.Contracts.Health;
using NodeHealth.Contracts.Wire;

namespace NodeHealth.Actors.Tests.Health;

/// <summary>The entity's side of a reboot command: once per id, re-sent to every stream until the agent answers, answered once.</summary>
public sealed class AgentCommandMachineTests
{
    private const string Node = "node-a";
    private static readonly DateTime T0 = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>A node whose agent said hello from boot <paramref name="boot"/>.</summary>
    private static NodeHealthState Booted(string boot = "boot-a")
    {
        var state = NodeHealthState.Empty(Node);
        foreach (var e in state.Decide(new ReportHostBoot(Node, boot), T0))
            state = state.Apply(e);
        return state;
    }

    private static NodeHealthState Requested(NodeHealthState state, string id, DateTime at)
    {
        var (requested, _) = state.Decide(new RequestAgentCommand(Node, id, AgentCommandKind.Reboot), at);
        return state.Apply(requested!);
    }

    private static NodeHealthState Answered(NodeHealthState state, string id, AgentCommandOutcome outcome, DateTime at, string detail = "ran 'systemctl reboot'")
    {
        var answered = state.Decide(new RecordAgentCommandResult(Node, new AgentCommandResult(id, outcome, detail, "boot-a")), at);
        return answered is null ? state : state.Apply(answered);
    }

    [Fact]
    public void A_new_command_is_recorded_for_the_boot_the_node_is_on_and_waits_for_an_answer()
    {
        var (requested, command) = Booted("boot-a").Decide(new RequestAgentCommand(Node, "repair-17", AgentCommandKind.Reboot), T0.AddMinutes(1));

        Assert.Equal(new AgentCommandRequested(Node, T0.AddMinutes(1), "repair-17", AgentCommandKind.Reboot, "boot-a"), requested);
        Assert.Equal(new AgentCommandState("repair-17", AgentCommandKind.Reboot, T0.AddMinutes(1), "boot-a"), command);
        Assert.False(command.IsAnswered);
    }

    [Fact]
    public void Asking_again_with_the_same_id_answers_from_the_state_and_records_no_second_command()
    {
        var state = Requested(Booted(), "repair-17", T0.AddMinutes(1));

        var (again, command) = state.Decide(new RequestAgentCommand(Node, "repair-17", AgentCommandKind.Reboot), T0.AddMinutes(5));

        Assert.Null(again);
        Assert.Equal(T0.AddMinutes(1), command.RequestedAt);
        Assert.Single(state.Commands);
    }

    [Fact]
    public void Every_unanswered_command_is_what_each_new_stream_is_sent_and_an_answered_one_is_not()
    {
        var state = Requested(Requested(Booted(), "repair-17", T0.AddMinutes(1)), "repair-18", T0.AddMinutes(2));

        Assert.Equal([new AgentCommand("repair-17", AgentCommandKind.Reboot, T0.AddMinutes(1), "boot-a"), new AgentCommand("repair-18", AgentCommandKind.Reboot, T0.AddMinutes(2), "boot-a")],
            state.UnansweredCommands().ToArray());

        var answered = Answered(state, "repair-17", AgentCommandOutcome.Accepted, T0.AddMinutes(3));

        Assert.Equal(["repair-18"], answered.UnansweredCommands().Select(c => c.Id));
    }

    [Fact]
    public void The_first_answer_counts_and_the_answers_to_re_sends_change_nothing()
    {
        var state = Answered(Requested(Booted(), "repair-17", T0.AddMinutes(1)), "repair-17", AgentCommandOutcome.Accepted, T0.AddMinutes(2));

        var repeat = state.Decide(new RecordAgentCommandResult(Node, new AgentCommandResult("repair-17", AgentCommandOutcome.Failed, "later", "boot-b")), T0.AddMinutes(3));

        Assert.Null(repeat);
        var command = Assert.Single(state.Commands);
        Assert.Equal((AgentCommandOutcome.Accepted, "ran 'systemctl reboot'", "boot-a", (DateTime?)T0.AddMinutes(2)),
            (command.Outcome, command.Detail, command.AnsweredOnHostBootId, command.AnsweredAt));
    }

    [Theory]
    [InlineData("repair-99", AgentCommandOutcome.Accepted)] // No such command on this node.
    [InlineData("repair-17", AgentCommandOutcome.Unknown)] // Not an answer.
    public void An_answer_to_no_command_of_the_node_or_without_an_outcome_is_not_recorded(string id, AgentCommandOutcome outcome)
    {
        var state = Requested(Booted(), "repair-17", T0.AddMinutes(1));

        Assert.Null(state.Decide(new RecordAgentCommandResult(Node, new AgentCommandResult(id, outcome, "", "boot-a")), T0.AddMinutes(2)));
    }

    [Fact]
    public void Old_answered_commands_are_forgotten_past_the_kept_number_but_an_unanswered_one_never_is()
    {
        var state = Requested(Booted(), "waiting", T0);
        for (var i = 0; i < NodeHealthMachine.AnsweredCommandsKept + 3; i++)
            state = Answered(Requested(state, $"done-{i}", T0.AddMinutes(i)), $"done-{i}", AgentCommandOutcome.Accepted, T0.AddMinutes(i));

        Assert.Equal(NodeHealthMachine.AnsweredCommandsKept + 1, state.Commands.Length);
        Assert.Equal("waiting", state.Commands[0].Id);
        Assert.Equal("done-3", state.Commands[1].Id);
        Assert.Equal(["waiting"], state.UnansweredCommands().Select(c => c.Id));
    }
}
