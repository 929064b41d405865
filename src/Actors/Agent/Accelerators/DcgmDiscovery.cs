using System.Globalization;
using System.Text.RegularExpressions;

namespace NodeHealth.Actors.Agent.Accelerators;

/// <summary>One entity `dcgmi discovery -l` lists: its group ("GPU", "Switch"), DCGM's id, and what it says of it.</summary>
public sealed record DcgmEntity(string Group, int Id, string? BusId, string? Uuid);

/// <summary>
/// DCGM's entity ids and the PCI bus ids (and UUIDs) they stand for, from `dcgmi discovery -l`. DCGM's GPU ids are its
/// own and need not equal nvidia-smi's indices, so the health report's "GPU 0" is named through this map: in NVRM's
/// bus id form with the UUID, as kernel-log XID findings name a GPU (<c>0000:3b:00/GPU-…</c>). An entity the listing
/// gives no bus id keeps DCGM's name ("Switch 11": dcgmi lists NvSwitches by id only).
/// </summary>
public sealed partial class DcgmEntities
{
    public const int MaxEntities = 256;

    public static readonly string[] Command = ["discovery", "-l"];

    public static DcgmEntities None { get; } = new([]);

    private readonly Dictionary<(string Group, int Id), DcgmEntity> _entities;

    public DcgmEntities(IEnumerable<DcgmEntity> entities) =>
        _entities = entities.Take(MaxEntities).GroupBy(e => (e.Group, e.Id)).ToDictionary(g => g.Key, g => g.Last());

    public IReadOnlyCollection<DcgmEntity> All => _entities.Values;

    /// <summary>Whether the listing named this health-report entity ("GPU 0"), with or without a bus id.</summary>
    public bool Lists(string entity) => Key(entity) is { } key && _entities.ContainsKey(key);

    /// <summary>The entity name findings carry for a health-report entity ("GPU 0"): bus id/UUID when known, else unchanged.</summary>
    public string Name(string entity)
    {
        if (Key(entity) is not { } key || !_entities.TryGetValue(key, out var known) || known.BusId is null)
            return entity;
        return known.Uuid is null ? known.BusId : $"{known.BusId}/{known.Uuid}";
    }

    /// <summary>Only the bus id (for messages, which already name DCGM's id); null when unknown.</summary>
    public string? BusIdOf(string entity) => Key(entity) is { } key && _entities.TryGetValue(key, out var known) ? known.BusId : null;

    /// <summary>
    /// The entities of a `dcgmi discovery -l` listing; null when the text is not one (a connection error). The listing
    /// is a count line and a box per entity group ("8 GPUs found.", "| GPU ID | Device Information |", then per
    /// entity "| 0 | Name: … |" and "|   | PCI Bus ID: 00000000:3B:00.0 |", "|   | Device UUID: GPU-… |" rows;
    /// "4 NvSwitches found." and "| Switch ID |" rows of ids). Widths, extra rows, extra groups (CPUs, ConnectX) and
    /// the unboxed "GPU ID: 0" form are tolerated.
    /// </summary>
    public static DcgmEntities? Parse(string output)
    {
        var entities = new List<DcgmEntity>();
        string? group = null;
        DcgmEntity? open = null;
        var isListing = false;
        foreach (var raw in output.Split('\n').Take(4096))
        {
            var line = raw.Trim();
            if (Found().IsMatch(line))
            {
                (isListing, group) = (true, null);
                Close();
                continue;
            }

            if (line.Length == 0 || line.StartsWith('+'))
                continue;
            if (!line.StartsWith('|'))
            {
                if (UnboxedId().Match(line) is { Success: true } unboxed)
                {
                    Close();
                    (isListing, group) = (true, GroupOf(unboxed.Groups["group"].Value));
                    open = Entity(group, unboxed.Groups["id"].Value);
                }
                else if (open is not null)
                    open = Attribute(open, line);
                continue;
            }

            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells[0].Length > 0)
            {
                Close();
                if (Id(cells[0]) is null)
                {
                    group = GroupOf(cells[0]); // "| GPU ID | Device Information |", "| Switch ID |"
                    isListing |= group != cells[0];
                    continue;
                }
                open = group is null ? null : Entity(group, cells[0]);
            }
            if (open is not null && cells.Length > 1)
                open = Attribute(open, cells[^1]);
        }

        Close();
        return isListing ? new DcgmEntities(entities) : null;

        void Close()
        {
            if (open is not null)
                entities.Add(open);
            open = null;
        }
    }

    private static DcgmEntity? Entity(string group, string id) => Id(id) is { } n ? new DcgmEntity(group, n, null, null) : null;

    /// <summary>"PCI Bus ID: 00000000:3B:00.0" or "Device UUID: GPU-…"; any other row (Name, a newer DCGM's additions) changes nothing.</summary>
    private static DcgmEntity Attribute(DcgmEntity entity, string cell)
    {
        if (cell.IndexOf(':') is not (> 0 and var colon))
            return entity;
        var key = Spaces().Replace(cell[..colon], " ").Trim();
        var value = cell[(colon + 1)..].Trim();
        if (key.Equals("PCI Bus ID", StringComparison.OrdinalIgnoreCase) && BusIdForm().IsMatch(value))
            return entity with { BusId = NvidiaSmiCheck.BusId(value) };
        if (key.Equals("Device UUID", StringComparison.OrdinalIgnoreCase) && UuidForm().IsMatch(value))
            return entity with { Uuid = value };
        return entity;
    }

    /// <summary>The health report's group name for a listing's header: "GPU ID" is "GPU", "Switch ID" is "Switch".</summary>
    private static string GroupOf(string header) =>
        header.EndsWith(" ID", StringComparison.OrdinalIgnoreCase) ? header[..^3].Trim() : header;

    private static int? Id(string cell) =>
        cell.Length <= 6 && int.TryParse(cell, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>"GPU 0" of a health report as (group, id); null for any other text.</summary>
    private static (string, int)? Key(string entity) =>
        entity.LastIndexOf(' ') is > 0 and var space && Id(entity[(space + 1)..]) is { } id ? (entity[..space], id) : null;

    [GeneratedRegex(@"^\d+ [A-Za-z]+(?: [A-Za-z]+)? found\b")]
    private static partial Regex Found();

    [GeneratedRegex(@"^(?<group>[A-Za-z]+) ID:\s*(?<id>\d{1,6})$")]
    private static partial Regex UnboxedId();

    [GeneratedRegex(@"^[0-9A-Fa-f]{4,8}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}(?:\.[0-7])?$")]
    private static partial Regex BusIdForm();

    [GeneratedRegex(@"^GPU-[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")]
    private static partial Regex UuidForm();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
