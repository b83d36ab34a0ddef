using TranscodeFarm.Core.Fingerprints;

namespace TranscodeFarm.Core.Tests.Fingerprints;

/// <summary>
/// A grayscale test picture and the transformations a re-encode, re-scale or re-edit would apply to it. Everything is
/// generated from a seed so the tests need no media files and no ffmpeg.
/// </summary>
internal sealed class GrayImage
{
    public GrayImage(int width, int height, double[] pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public double[] Pixels { get; }

    public double this[int x, int y] => Pixels[(y * Width) + x];

    /// <summary>Gradients, soft waves, ellipses and rectangles of random tone, plus grain: a stand-in for a film frame.</summary>
    public static GrayImage Procedural(int seed, int width = 256, int height = 144)
    {
        var rng = new Random(seed);
        var pixels = new double[width * height];
        var (gx, gy, g0) = (rng.NextDouble() * 80 - 40, rng.NextDouble() * 80 - 40, 90 + (rng.NextDouble() * 60));
        var waves = Enumerable.Range(0, 3).Select(_ => (Fx: rng.NextDouble() * 4, Fy: rng.NextDouble() * 4, Phase: rng.NextDouble() * 6.28, Amp: 10 + (rng.NextDouble() * 20))).ToArray();
        var shapes = Enumerable.Range(0, 10).Select(_ => (Ellipse: rng.Next(2) == 0, X: rng.NextDouble(), Y: rng.NextDouble(), W: 0.05 + (rng.NextDouble() * 0.3), H: 0.05 + (rng.NextDouble() * 0.3), Tone: 40 + (rng.NextDouble() * 190))).ToArray();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double u = (double)x / width, v = (double)y / height;
                var value = g0 + (gx * u) + (gy * v);
                foreach (var wave in waves)
                {
                    value += wave.Amp * Math.Sin((2 * Math.PI * ((wave.Fx * u) + (wave.Fy * v))) + wave.Phase);
                }

                foreach (var s in shapes)
                {
                    var dx = (u - s.X) / s.W;
                    var dy = (v - s.Y) / s.H;
                    var inside = s.Ellipse ? (dx * dx) + (dy * dy) <= 1 : Math.Abs(dx) <= 1 && Math.Abs(dy) <= 1;
                    if (inside)
                    {
                        value = (value * 0.3) + (s.Tone * 0.7);
                    }
                }

                pixels[(y * width) + x] = Math.Clamp(value + ((rng.NextDouble() - 0.5) * 16), 40, 235);
            }
        }

        return new GrayImage(width, height, pixels);
    }

    public static GrayImage Flat(int width, int height, double value, double noise = 0, int seed = 1)
    {
        var rng = new Random(seed);
        return new GrayImage(width, height, Enumerable.Range(0, width * height).Select(_ => Math.Clamp(value + ((rng.NextDouble() - 0.5) * 2 * noise), 0, 255)).ToArray());
    }

    /// <summary>Resampling by averaging 4×4 bilinear samples under each output pixel: fine both down and up.</summary>
    public GrayImage Resize(int width, int height)
    {
        const int samples = 4;
        var pixels = new double[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double sum = 0;
                for (var sy = 0; sy < samples; sy++)
                {
                    for (var sx = 0; sx < samples; sx++)
                    {
                        var srcX = ((x + ((sx + 0.5) / samples)) * Width / width) - 0.5;
                        var srcY = ((y + ((sy + 0.5) / samples)) * Height / height) - 0.5;
                        sum += Bilinear(srcX, srcY);
                    }
                }

                pixels[(y * width) + x] = sum / (samples * samples);
            }
        }

        return new GrayImage(width, height, pixels);
    }

    public GrayImage Map(Func<double, double> transform) =>
        new(Width, Height, Pixels.Select(p => Math.Clamp(transform(p), 0, 255)).ToArray());

    /// <summary>The picture squeezed into the middle with black (limited-range 16) bars of the given fraction top and bottom.</summary>
    public GrayImage Letterbox(double barFraction)
    {
        var bar = (int)Math.Round(Height * barFraction);
        var content = Resize(Width, Height - (2 * bar));
        var pixels = Enumerable.Repeat(16.0, Width * Height).ToArray();
        Array.Copy(content.Pixels, 0, pixels, bar * Width, content.Pixels.Length);
        return new GrayImage(Width, Height, pixels);
    }

    /// <summary>Cuts the given fractions off each side and scales back up to the original size.</summary>
    public GrayImage Crop(double left, double top, double right, double bottom)
    {
        int x0 = (int)Math.Round(Width * left), y0 = (int)Math.Round(Height * top);
        int x1 = Width - (int)Math.Round(Width * right), y1 = Height - (int)Math.Round(Height * bottom);
        var pixels = new double[(x1 - x0) * (y1 - y0)];
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                pixels[((y - y0) * (x1 - x0)) + (x - x0)] = this[x, y];
            }
        }

        return new GrayImage(x1 - x0, y1 - y0, pixels).Resize(Width, Height);
    }

    /// <summary>A white badge with a dark mark in it, like a channel logo, in the top-right corner.</summary>
    public GrayImage WithLogo(double widthFraction = 0.12, double heightFraction = 0.1)
    {
        var pixels = (double[])Pixels.Clone();
        int w = (int)(Width * widthFraction), h = (int)(Height * heightFraction);
        int x0 = Width - w - (Width / 40), y0 = Height / 30;
        for (var y = y0; y < y0 + h; y++)
        {
            for (var x = x0; x < x0 + w; x++)
            {
                var mark = x > x0 + (w / 4) && x < x0 + (3 * w / 4) && y > y0 + (h / 3) && y < y0 + (2 * h / 3);
                pixels[(y * Width) + x] = mark ? 30 : 235;
            }
        }

        return new GrayImage(Width, Height, pixels);
    }

    /// <summary>JPEG-like damage: each 8×8 block's DCT coefficients rounded to multiples of a step that grows with frequency.</summary>
    public GrayImage BlockQuantized(double step)
    {
        var pixels = (double[])Pixels.Clone();
        var block = new double[64];
        var coefficients = new double[64];
        for (var by = 0; by + 8 <= Height; by += 8)
        {
            for (var bx = 0; bx + 8 <= Width; bx += 8)
            {
                for (var i = 0; i < 64; i++)
                {
                    block[i] = pixels[((by + (i / 8)) * Width) + bx + (i % 8)] - 128;
                }

                Dct8(block, coefficients, inverse: false);
                for (var i = 0; i < 64; i++)
                {
                    var q = step * (1 + (((i / 8) + (i % 8)) / 2.0));
                    coefficients[i] = Math.Round(coefficients[i] / q) * q;
                }

                Dct8(coefficients, block, inverse: true);
                for (var i = 0; i < 64; i++)
                {
                    pixels[((by + (i / 8)) * Width) + bx + (i % 8)] = Math.Clamp(block[i] + 128, 0, 255);
                }
            }
        }

        return new GrayImage(Width, Height, pixels);
    }

    public byte[] ToBytes() => Pixels.Select(p => (byte)Math.Clamp(Math.Round(p), 0, 255)).ToArray();

    /// <summary>What the extractor would hand over: this picture scaled to the extractor's size, as 8-bit luma.</summary>
    public FrameHashResult Hash(int width = 128, int height = 72)
    {
        var frame = Width == width && Height == height ? this : Resize(width, height);
        return FrameHash.Compute(frame.ToBytes(), width, height);
    }

    private double Bilinear(double x, double y)
    {
        x = Math.Clamp(x, 0, Width - 1);
        y = Math.Clamp(y, 0, Height - 1);
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        int x1 = Math.Min(x0 + 1, Width - 1), y1 = Math.Min(y0 + 1, Height - 1);
        double fx = x - x0, fy = y - y0;
        var top = (this[x0, y0] * (1 - fx)) + (this[x1, y0] * fx);
        var bottom = (this[x0, y1] * (1 - fx)) + (this[x1, y1] * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }

    /// <summary>Orthonormal 8×8 DCT-II (or its inverse), straight from the definition: test code, speed irrelevant.</summary>
    private static void Dct8(double[] input, double[] output, bool inverse)
    {
        static double C(int k) => k == 0 ? Math.Sqrt(0.125) : 0.5;
        for (var a = 0; a < 8; a++)
        {
            for (var b = 0; b < 8; b++)
            {
                double sum = 0;
                for (var c = 0; c < 8; c++)
                {
                    for (var d = 0; d < 8; d++)
                    {
                        sum += inverse
                            ? C(c) * C(d) * input[(c * 8) + d] * Math.Cos((2 * a + 1) * c * Math.PI / 16) * Math.Cos((2 * b + 1) * d * Math.PI / 16)
                            : input[(c * 8) + d] * Math.Cos((2 * c + 1) * a * Math.PI / 16) * Math.Cos((2 * d + 1) * b * Math.PI / 16);
                    }
                }

                output[(a * 8) + b] = inverse ? sum : C(a) * C(b) * sum;
            }
        }
    }
}
