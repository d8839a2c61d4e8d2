using System.Globalization;
using System.Text;

namespace DigitMl.Data.Scenes;

/// <summary>
/// manifest.csv at the dataset root: one row per drawn digit (split, image, class, MNIST index, pixel box),
/// plus one row with class -1 for each empty scene. Lets anyone check which source digits a split used.
/// </summary>
public static class SceneManifest
{
    public const string FileName = "manifest.csv";
    private const string Header = "split,image,class,mnist_index,x0,y0,x1,y1";

    public static void Write(string path, IEnumerable<SceneRecord> scenes)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var scene in scenes)
        {
            if (scene.Digits.Count == 0) text.Append(CultureInfo.InvariantCulture, $"{scene.Split},{scene.ImagePath},-1,-1,0,0,0,0\n");
            foreach (var d in scene.Digits)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"{scene.Split},{scene.ImagePath},{d.ClassId},{d.MnistIndex},{d.Box.X0},{d.Box.Y0},{d.Box.X1},{d.Box.Y1}\n");
            }
        }
        File.WriteAllText(path, text.ToString());
    }

    public static IReadOnlyList<SceneRecord> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != Header) throw new InvalidDataException($"{path}:1: expected header '{Header}'");
        var scenes = new List<SceneRecord>();
        var current = new List<PlacedDigit>();
        string? split = null, image = null;
        for (int i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != 8) throw new InvalidDataException($"{path}:{i + 1}: expected 8 fields, got {f.Length}");
            if (f[1] != image)
            {
                if (image is not null) scenes.Add(new SceneRecord(split!, scenes.Count, image, current));
                split = f[0];
                image = f[1];
                current = [];
            }
            try
            {
                int classId = int.Parse(f[2], CultureInfo.InvariantCulture);
                if (classId < 0) continue;
                current.Add(new PlacedDigit(classId, int.Parse(f[3], CultureInfo.InvariantCulture), new BoundingBox(
                    float.Parse(f[4], CultureInfo.InvariantCulture), float.Parse(f[5], CultureInfo.InvariantCulture),
                    float.Parse(f[6], CultureInfo.InvariantCulture), float.Parse(f[7], CultureInfo.InvariantCulture))));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}:{i + 1}: {e.Message}", e);
            }
        }
        if (image is not null) scenes.Add(new SceneRecord(split!, scenes.Count, image, current));
        return scenes;
    }
}
