namespace NodeHealth.Actors.Tests.Agent.Accelerators;

/// <summary>
/// Outputs of the exact commands the probes run, in the tools' real formats: nvidia-smi's csv (noheader, nounits:
/// "[N/A]" where a part lacks the counter, bus ids "00000000:3B:00.0"), `nvidia-smi nvlink --status` (a GPU line,
/// then a tab-indented line per link, "&lt;inactive&gt;" when down), and `dcgmi health -c`'s box (dcgmi/Health.cpp:
/// key column 28, value column 60, messages wrapped on the rows below their system; the DCGM user guide's example).
/// </summary>
internal static class RecordedOutputs
{
    /// <summary>A p5.48xlarge-like host: 8 H100s, no ECC errors, retired pages not applicable (Hopper remaps rows instead).</summary>
    public const string EightHealthyGpus = """
        0, 00000000:53:00.0, GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01, 0, [N/A]
        1, 00000000:64:00.0, GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02, 0, [N/A]
        2, 00000000:75:00.0, GPU-9c4a1e2f-6b5d-4e7f-a091-3b5c7d9e1f03, 0, [N/A]
        3, 00000000:86:00.0, GPU-1e6b3a4c-8d7f-6a91-b2c3-4c6d8e0f2a04, 0, [N/A]
        4, 00000000:97:00.0, GPU-2f7c4b5d-9e8a-7b02-c3d4-5d7e9f1a3b05, 0, [N/A]
        5, 00000000:A8:00.0, GPU-4a8d5c6e-0f9b-8c13-d4e5-6e8f0a2b4c06, 0, [N/A]
        6, 00000000:B9:00.0, GPU-5b9e6d7f-1a0c-9d24-e5f6-7f9a1b3c5d07, 0, [N/A]
        7, 00000000:CA:00.0, GPU-6c0f7e8a-2b1d-0e35-f6a7-8a0b2c4d6e08, 0, [N/A]

        """;

    public static readonly string[] EightBusIds = ["0000:53:00", "0000:64:00", "0000:75:00", "0000:86:00", "0000:97:00", "0000:a8:00", "0000:b9:00", "0000:ca:00"];

    /// <summary>A V100 host (p3): GPU 1 has 2 volatile double-bit errors and a page pending retirement.</summary>
    public const string TwoV100sOneWithDoubleBitErrors = """
        0, 00000000:00:1E.0, GPU-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e, 0, No
        1, 00000000:00:1F.0, GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f, 2, Yes

        """;

    /// <summary>nvidia-smi when the driver cannot reach one GPU (it fell off the bus): the others' rows and an error line.</summary>
    public const string SevenGpusAndOneUnreachable = """
        Unable to determine the device handle for GPU0000:86:00.0: Unknown Error
        0, 00000000:53:00.0, GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01, 0, [N/A]
        1, 00000000:64:00.0, GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02, 0, [N/A]
        2, 00000000:75:00.0, GPU-9c4a1e2f-6b5d-4e7f-a091-3b5c7d9e1f03, 0, [N/A]
        4, 00000000:97:00.0, GPU-2f7c4b5d-9e8a-7b02-c3d4-5d7e9f1a3b05, 0, [N/A]
        5, 00000000:A8:00.0, GPU-4a8d5c6e-0f9b-8c13-d4e5-6e8f0a2b4c06, 0, [N/A]
        6, 00000000:B9:00.0, GPU-5b9e6d7f-1a0c-9d24-e5f6-7f9a1b3c5d07, 0, [N/A]
        7, 00000000:CA:00.0, GPU-6c0f7e8a-2b1d-0e35-f6a7-8a0b2c4d6e08, 0, [N/A]

        """;

    public const string NoDriver = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n";

    public const string RemappedRowsHealthy = """
        00000000:53:00.0, 0, 0
        00000000:64:00.0, 0, 0

        """;

    public const string RemappedRowsPendingAndFailed = """
        00000000:53:00.0, 1, 0
        00000000:64:00.0, 0, 1

        """;

    /// <summary>Two GPUs with 4 links each (shortened from 18); GPU 1's link 2 is down.</summary>
    public const string NvLinkOneDown = "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01)\n"
        + "\t Link 0: 26.562 GB/s\n\t Link 1: 26.562 GB/s\n\t Link 2: 26.562 GB/s\n\t Link 3: 26.562 GB/s\n"
        + "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02)\n"
        + "\t Link 0: 26.562 GB/s\n\t Link 1: 26.562 GB/s\n\t Link 2: <inactive>\n\t Link 3: 26.562 GB/s\n";

    public const string NvLinkAllUp = "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01)\n"
        + "\t Link 0: 26.562 GB/s\n\t Link 1: 26.562 GB/s\n"
        + "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02)\n"
        + "\t Link 0: 26.562 GB/s\n\t Link 1: 26.562 GB/s\n";

    /// <summary>PCIe cards (A10G, g5) list NVLinks the board has but no bridge connects: all inactive is normal.</summary>
    public const string NvLinkPcieCardsUnbridged = "GPU 0: NVIDIA A10G (UUID: GPU-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e)\n"
        + "\t Link 0: <inactive>\n\t Link 1: <inactive>\n"
        + "GPU 1: NVIDIA A10G (UUID: GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f)\n"
        + "\t Link 0: <inactive>\n\t Link 1: <inactive>\n";

    public const string DcgmHealthy = """
        +---------------------------+------------------------------------------------------------+
        | Health Monitor Report                                                                  |
        +===========================+============================================================+
        | Overall Health            | Healthy                                                    |
        +---------------------------+------------------------------------------------------------+

        """;

    /// <summary>GPU 0 fails its memory system (a volatile DBE); GPU 1 warns of PCIe replays, the message wrapped over two rows.</summary>
    public const string DcgmDoubleBitFailureAndReplayWarning = """
        +---------------------------+------------------------------------------------------------+
        | Health Monitor Report                                                                  |
        +===========================+============================================================+
        | Overall Health            | Failure                                                    |
        | GPU                       |                                                            |
        | -> 0                      | Failure                                                    |
        |    -> Errors              |                                                            |
        |       -> Memory system    | Failure                                                    |
        |                           | Detected 2 volatile double-bit ECC error(s) in GPU 0.      |
        | -> 1                      | Warning                                                    |
        |    -> Errors              |                                                            |
        |       -> PCIe system      | Warning                                                    |
        |                           | Detected more than 8 PCIe replays per minute for GPU 1 :   |
        |                           | 13                                                         |
        +---------------------------+------------------------------------------------------------+

        """;

    /// <summary>Two NVLink incidents of one GPU joined by ", " and wrapped, plus an NVSwitch fatal error and a message DCGM added after our table.</summary>
    public const string DcgmNvLinkAndSwitchAndUnknown = """
        +---------------------------+------------------------------------------------------------+
        | Health Monitor Report                                                                  |
        +===========================+============================================================+
        | Overall Health            | Failure                                                    |
        | GPU                       |                                                            |
        | -> 2                      | Failure                                                    |
        |    -> Errors              |                                                            |
        |       -> NVLINK system    | Failure                                                    |
        |                           | GPU 2's NvLink link 5 is currently down, GPU 2's NvLink    |
        |                           | link 7 is currently down                                   |
        |       -> InfoROM system   | Warning                                                    |
        |                           | A brand new InfoROM complaint on GPU 2.                    |
        | Switch                    |                                                            |
        | -> 0                      | Failure                                                    |
        |    -> Errors              |                                                            |
        |       -> NVLINK system    | Failure                                                    |
        |                           | Detected fatal errors on NvSwitch 0 link 12                |
        +---------------------------+------------------------------------------------------------+

        """;

    /// <summary>
    /// `dcgmi discovery -l` on the 8-GPU host above (DCGM 3.x layout: a count line and a box per entity group, GPU ids
    /// with their name, PCI bus id and UUID rows, NvSwitches by id only). Written from dcgmi's format, not captured.
    /// </summary>
    public const string DcgmDiscoveryEightGpusFourSwitches = """
        8 GPUs found.
        +--------+----------------------------------------------------------------------+
        | GPU ID | Device Information                                                   |
        +--------+----------------------------------------------------------------------+
        | 0      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:53:00.0                                         |
        |        | Device UUID: GPU-3d1e9a8a-0b7c-5b0e-9f0d-1f5c2f3b7a01                |
        +--------+----------------------------------------------------------------------+
        | 1      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:64:00.0                                         |
        |        | Device UUID: GPU-7b2f0c1d-4e3a-2c5d-8e6f-2a4b6c8d0e02                |
        +--------+----------------------------------------------------------------------+
        | 2      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:75:00.0                                         |
        |        | Device UUID: GPU-9c4a1e2f-6b5d-4e7f-a091-3b5c7d9e1f03                |
        +--------+----------------------------------------------------------------------+
        | 3      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:86:00.0                                         |
        |        | Device UUID: GPU-1e6b3a4c-8d7f-6a91-b2c3-4c6d8e0f2a04                |
        +--------+----------------------------------------------------------------------+
        | 4      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:97:00.0                                         |
        |        | Device UUID: GPU-2f7c4b5d-9e8a-7b02-c3d4-5d7e9f1a3b05                |
        +--------+----------------------------------------------------------------------+
        | 5      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:A8:00.0                                         |
        |        | Device UUID: GPU-4a8d5c6e-0f9b-8c13-d4e5-6e8f0a2b4c06                |
        +--------+----------------------------------------------------------------------+
        | 6      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:B9:00.0                                         |
        |        | Device UUID: GPU-5b9e6d7f-1a0c-9d24-e5f6-7f9a1b3c5d07                |
        +--------+----------------------------------------------------------------------+
        | 7      | Name: NVIDIA H100 80GB HBM3                                          |
        |        | PCI Bus ID: 00000000:CA:00.0                                         |
        |        | Device UUID: GPU-6c0f7e8a-2b1d-0e35-f6a7-8a0b2c4d6e08                |
        +--------+----------------------------------------------------------------------+
        4 NvSwitches found.
        +-----------+
        | Switch ID |
        +-----------+
        | 11        |
        | 10        |
        | 13        |
        | 12        |
        +-----------+

        """;

    /// <summary>
    /// A newer dcgmi's listing (DCGM 3.3+: "(Active)", ConnectX and CPU groups) at other column widths, whose GPU 1 row
    /// has no bus id; written from the format, not captured.
    /// </summary>
    public const string DcgmDiscoveryNewerWithoutOneBusId = """
        2 GPUs found (Active).
        +--------+------------------------------------------------+
        | GPU ID | Device Information                             |
        +--------+------------------------------------------------+
        | 0      | Name: NVIDIA A100-SXM4-40GB                    |
        |        | PCI Bus ID: 00000000:07:00.0                   |
        |        | Device UUID: GPU-0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e |
        +--------+------------------------------------------------+
        | 1      | Name: NVIDIA A100-SXM4-40GB                    |
        |        | Device UUID: GPU-1c2d3e4f-5a6b-7c8d-9e0f-1a2b3c4d5e6f |
        +--------+------------------------------------------------+
        0 NvSwitches found.
        +-----------+
        | Switch ID |
        +-----------+
        +-----------+
        0 ConnectX found.
        +----------+
        | ConnectX |
        +----------+
        +----------+
        0 CPUs found.
        +--------+------------------------------------------------+
        | CPU ID | Device Information                             |
        +--------+------------------------------------------------+
        +--------+------------------------------------------------+

        """;

    public const string DcgmCannotConnect = "Error: unable to establish a connection to the specified host: localhost\nError: Unable to connect to host engine. Host engine connection invalid/disconnected.\n";
}
