namespace TranscodeFarm.Core.Packaging;

/// <summary>The input is not the fragmented MP4 the packager expects; the message says what is wrong and where.</summary>
public sealed class Mp4FormatException(string message) : Exception(message);
