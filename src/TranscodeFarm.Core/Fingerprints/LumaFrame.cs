namespace TranscodeFarm.Core.Fingerprints;

/// <summary>An 8-bit grayscale image: one byte of luma per pixel, row after row, what <see cref="FrameHash"/> takes.</summary>
public sealed record LumaFrame(int Width, int Height, byte[] Pixels);
