using System.Runtime.CompilerServices;

namespace DigitMl.Tests.Data;

/// <summary>
/// The small YOLO datasets committed under Tests/Fixtures/datasets, and the code that wrote them. Each fixture is a
/// folder with a data.yaml. Images are 16x12 (paper 230, a dark 20 rectangle where the first label says).
/// To rewrite the committed files after changing this class: set DIGITML_REGENERATE_FIXTURES=1 and run
/// <c>DatasetFixtureTests.CommittedFixturesMatchTheirGenerator</c>.
/// </summary>
internal static class DatasetFixtures
{
    public const int W = 16;
    public const int H = 12;

    public const string Names3 = "names: [zero, one, two]\n";

    /// <summary>data.yaml of a committed fixture, as copied next to the test assembly.</summary>
    public static string Yaml(string fixture, string file = "data.yaml") =>
        Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "datasets", fixture, file);

    /// <summary>The fixture folder in the source tree (for regeneration).</summary>
    public static string SourceDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "Fixtures", "datasets"));

    /// <summary>Paper with a dark rectangle covering the normalised box (cx, cy, w, h).</summary>
    public static FixtureImages.PixelAt Box(double cx, double cy, double w, double h, byte alphaOutside = 255) => (x, y) =>
    {
        double px = (x + 0.5) / W, py = (y + 0.5) / H;
        bool inside = Math.Abs(px - cx) <= w / 2 && Math.Abs(py - cy) <= h / 2;
        return inside ? ((byte)20, (byte)20, (byte)20, (byte)255) : ((byte)230, (byte)230, (byte)230, alphaOutside);
    };

    public static void WriteAll(string dir)
    {
        Folders(Path.Combine(dir, "folders"));
        FolderList(Path.Combine(dir, "folder-list"));
        TxtList(Path.Combine(dir, "txt-list"));
        NoPath(Path.Combine(dir, "no-path"));
        RelativePath(Path.Combine(dir, "relative-path"));
        Roboflow(Path.Combine(dir, "roboflow"));
        Exif(Path.Combine(dir, "exif"));
        Errors(dir);
    }

    // folder splits, nested folder, every supported format, gray and RGBA PNG, a missing label file, a clipped box
    private static void Folders(string d)
    {
        Text(d, "data.yaml", "# folder splits, names as a list\npath: .\ntrain: images/train\nval: images/val\ntest: images/test\nnc: 3\n" + Names3);
        Bytes(d, "images/train/a_rgb.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.25, 0.5)));
        Text(d, "labels/train/a_rgb.txt", "1 0.5 0.5 0.25 0.5\n");
        Bytes(d, "images/train/b_gray.png", FixtureImages.Png(W, H, 1, Box(0.25, 0.25, 0.25, 0.5)));
        Text(d, "labels/train/b_gray.txt", "0 0.25 0.25 0.25 0.5\n\n");
        Bytes(d, "images/train/c_rgba.png", FixtureImages.Png(W, H, 4, Box(0.75, 0.5, 0.25, 0.5, alphaOutside: 0)));
        Text(d, "labels/train/c_rgba.txt", "2 0.75 0.5 0.25 0.5\n1 0.995 0.5 0.02 0.2\n");
        Bytes(d, "images/train/d_nolabel.png", FixtureImages.Png(W, H, 3, Box(0, 0, 0, 0)));
        Bytes(d, "images/train/sub/e.BMP", FixtureImages.Bmp(W, H, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "labels/train/sub/e.txt", "0 0.5 0.5 0.5 0.5\n");
        Bytes(d, "images/val/f.webp", FixtureImages.Webp(W, H, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "labels/val/f.txt", "1 0.5 0.5 0.5 0.5\n");
        Bytes(d, "images/test/g.JPG", FixtureImages.Jpeg(W, H, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "labels/test/g.txt", "2 0.5 0.5 0.5 0.5\n");
    }

    // a split as a list of folders, and a further key naming images (calibration) next to one that does not (license)
    private static void FolderList(string d)
    {
        Text(d, "data.yaml", "train: [images/part1, images/part2]\nval: images/part2\ncalibration: images/part1\nlicense: CC BY 4.0\n" + Names3);
        Bytes(d, "images/part1/x.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "labels/part1/x.txt", "0 0.5 0.5 0.5 0.5\n");
        Bytes(d, "images/part2/y.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.25, 0.25)));
        Text(d, "labels/part2/y.txt", "1 0.5 0.5 0.25 0.25\n");
    }

    // .txt image lists (entries relative to the list's folder), names as a map
    private static void TxtList(string d)
    {
        Text(d, "data.yaml", "path: .\ntrain: train.txt\nval: lists/val.txt\nnames:\n  0: cat\n  1: dog\n");
        Text(d, "train.txt", "./images/one.png\nimages/two.png\n\n");
        Text(d, "lists/val.txt", "../images/three.png\n");
        foreach (var (name, cls) in new[] { ("one", 0), ("two", 1), ("three", 1) })
        {
            Bytes(d, $"images/{name}.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.5, 0.5)));
            Text(d, $"labels/{name}.txt", $"{cls} 0.5 0.5 0.5 0.5\n");
        }
    }

    // no 'path': the yaml's folder is the root
    private static void NoPath(string d)
    {
        Text(d, "data.yaml", "train: images\nnames:\n  0: x\n");
        Bytes(d, "images/p.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "labels/p.txt", "0 0.5 0.5 0.5 0.5\n");
    }

    // 'path' relative to the yaml's folder
    private static void RelativePath(string d)
    {
        Text(d, "config/data.yaml", "path: ../data\ntrain: images/train\nval: images/train\n" + Names3);
        Bytes(d, "data/images/train/q.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "data/labels/train/q.txt", "2 0.5 0.5 0.5 0.5\n");
    }

    // Roboflow export: '../train/images' next to the yaml, nc, a 'roboflow' mapping
    private static void Roboflow(string d)
    {
        Text(d, "data.yaml", "train: ../train/images\nval: ../valid/images\n\nnc: 2\nnames: ['digit-0', 'digit-1']\n\nroboflow:\n  workspace: demo\n  license: CC BY 4.0\n");
        Bytes(d, "train/images/r.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "train/labels/r.txt", "1 0.5 0.5 0.5 0.5\n");
        Bytes(d, "valid/images/s.png", FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.5, 0.5)));
        Text(d, "valid/labels/s.txt", "0 0.5 0.5 0.5 0.5\n");
    }

    // JPEG stored 16 wide x 8 high, dark left half, EXIF orientation 6 (display rotated 90 degrees clockwise: 8x16, dark top half)
    private static void Exif(string d)
    {
        var stored = FixtureImages.Jpeg(16, 8, (x, _) => x < 8 ? ((byte)20, (byte)20, (byte)20, (byte)255) : ((byte)230, (byte)230, (byte)230, (byte)255));
        Text(d, "data.yaml", "train: images/train\n" + Names3);
        Bytes(d, "images/train/rot6.jpg", FixtureImages.WithExifOrientation(stored, 6));
        Text(d, "labels/train/rot6.txt", "0 0.5 0.25 1 0.5\n");
    }

    private static void Errors(string dir)
    {
        var good = FixtureImages.Png(W, H, 3, Box(0.5, 0.5, 0.5, 0.5));
        void Broken(string name, string label, string yaml = "train: images/train\n" + Names3)
        {
            string d = Path.Combine(dir, name);
            Text(d, "data.yaml", yaml);
            Bytes(d, "images/train/img.png", good);
            Text(d, "labels/train/img.txt", label);
        }

        Broken("err-field-count", "0 0.5 0.5 0.5 0.5\n1 0.5 0.5 0.2\n");
        Broken("err-class-id", "3 0.5 0.5 0.2 0.2\n");
        Broken("err-non-numeric", "1 0.5 abc 0.2 0.2\n");
        Broken("err-out-of-range", "0 0.95 0.5 0.2 0.2\n");
        Broken("err-zero-area", "0 0.5 0.5 0 0.2\n");
        Broken("err-nc-mismatch", "0 0.5 0.5 0.5 0.5\n", "train: images/train\nnc: 5\n" + Names3);
        Broken("err-missing-split", "0 0.5 0.5 0.5 0.5\n", "train: images/train\nval: images/nope\n" + Names3);

        string truncated = Path.Combine(dir, "err-truncated");
        Text(truncated, "data.yaml", "train: images/train\n" + Names3);
        Bytes(truncated, "images/train/cut.png", good[..(good.Length / 2)]);

        string unreadable = Path.Combine(dir, "err-unreadable");
        Text(unreadable, "data.yaml", "train: images/train\n" + Names3);
        Text(unreadable, "images/train/garbage.png", "this is not a png\n");

        string duplicate = Path.Combine(dir, "err-duplicate");
        Text(duplicate, "data.yaml", "train: train.txt\n" + Names3);
        Text(duplicate, "train.txt", "./images/train/img.png\nimages/train/img.png\n");
        Bytes(duplicate, "images/train/img.png", good);
        Text(duplicate, "labels/train/img.txt", "0 0.5 0.5 0.5 0.5\n");

        string unsupported = Path.Combine(dir, "err-unsupported");
        Text(unsupported, "data.yaml", "train: images/train\n" + Names3);
        Bytes(unsupported, "images/train/img.png", good);
        Text(unsupported, "images/train/scan.tif", "II*\n");

        // one good image and two bad ones: a malformed label line and a truncated file
        string mixed = Path.Combine(dir, "mixed");
        Text(mixed, "data.yaml", "train: images/train\n" + Names3);
        Bytes(mixed, "images/train/good.png", good);
        Text(mixed, "labels/train/good.txt", "0 0.5 0.5 0.5 0.5\n");
        Bytes(mixed, "images/train/badline.png", good);
        Text(mixed, "labels/train/badline.txt", "0 0.5 0.5 0.5 0.5\n0 0.5 0.5 0.2\n");
        Bytes(mixed, "images/train/cut.png", good[..(good.Length / 2)]);
    }

    private static void Text(string dir, string relative, string content) =>
        Bytes(dir, relative, System.Text.Encoding.UTF8.GetBytes(content));

    private static void Bytes(string dir, string relative, byte[] content)
    {
        string path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
