namespace TranscodeFarm.Core.Planning;

/// <summary>Which field of an interlaced picture is shown first (display order, whatever the coded order).</summary>
public enum FieldOrder
{
    /// <summary>The container does not say.</summary>
    Unknown,
    Progressive,
    TopFirst,
    BottomFirst,
}

public enum ScanKind
{
    Progressive,

    /// <summary>Two fields per frame, each a different instant (broadcast 50i/60i): deinterlaced with bwdif.</summary>
    Interlaced,

    /// <summary>24p film pulled down 3:2 into 60 fields (some frames repeat a field): field-matched and decimated back to 24p.</summary>
    Telecined,
}

/// <summary>
/// What the source's scan is, decided from the container's field order and an idet pass (<see cref="ScanDetector"/>),
/// with the evidence in words for the job ("container: tt; idet: 75 of 75 frames tff").
/// </summary>
public sealed record VideoScan(ScanKind Kind, FieldOrder Order, string Evidence)
{
    public static VideoScan Progressive(string evidence) => new(ScanKind.Progressive, FieldOrder.Progressive, evidence);

    /// <summary>"tff" or "bff" (bwdif's and fieldmatch's parity words); top first when nothing says otherwise.</summary>
    public string Parity => Order == FieldOrder.BottomFirst ? "bff" : "tff";
}
