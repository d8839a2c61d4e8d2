namespace DigitMl.Data;

/// <summary>Lists the images of one split, reads their sizes and label files, and collects every problem.</summary>
internal static class YoloSplitReader
{
    private readonly record struct Listing(string Image, string ListedIn, int Line);

    public static (List<YoloSample> Samples, List<DatasetProblem> Problems) Read(
        string yamlPath, SplitSource split, int classCount, YoloDatasetOptions options)
    {
        var problems = new List<DatasetProblem>();
        var listings = new List<Listing>();
        foreach (string source in split.Paths) List(source, listings, problems);

        var unique = new List<Listing>();
        var firstSeen = new Dictionary<string, Listing>(StringComparer.Ordinal);
        foreach (var listing in listings)
        {
            if (firstSeen.TryGetValue(listing.Image, out var first))
                problems.Add(new(listing.ListedIn, listing.Line, $"image {listing.Image} listed twice (first in {Where(first)})", split.Name, options.SkipInvalid ? listing.Image : null));
            else
            {
                firstSeen.Add(listing.Image, listing);
                unique.Add(listing);
            }
        }
        unique.Sort((a, b) => string.CompareOrdinal(a.Image, b.Image));
        if (unique.Count == 0 && problems.Count == 0)
            problems.Add(new(yamlPath, split.YamlLine, $"'{split.Name}' has no images ({string.Join(", ", split.Paths)})", split.Name));

        var perImage = new (YoloSample Sample, List<DatasetProblem> Problems)[unique.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelism ?? Environment.ProcessorCount };
        Parallel.For(0, unique.Count, parallel, i => perImage[i] = ReadImage(unique[i].Image, classCount, options));

        var samples = new List<YoloSample>(unique.Count);
        foreach (var (sample, imageProblems) in perImage)
        {
            if (imageProblems.Count == 0)
            {
                samples.Add(sample);
                continue;
            }
            string image = sample.ImagePath;
            problems.AddRange(imageProblems.Select(p => p with { Split = split.Name, SkippedImage = options.SkipInvalid ? image : null }));
        }
        return (samples, problems);
    }

    private static void List(string source, List<Listing> listings, List<DatasetProblem> problems)
    {
        if (Directory.Exists(source))
        {
            try
            {
                foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
                {
                    if (ImageFileFormats.IsSupportedImage(file)) listings.Add(new(Path.GetFullPath(file), source, 0));
                    else if (ImageFileFormats.IsUnsupportedImage(file)) problems.Add(new(file, 0, UnsupportedMessage(file)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new(source, 0, $"folder cannot be listed completely ({e.Message})"));
            }
        }
        else if (ImageFileFormats.IsSupportedImage(source))
        {
            listings.Add(new(source, source, 0));
        }
        else
        {
            // An image list: one path per line. Relative entries resolve against the list's own folder. Ultralytics
            // does that for "./x" entries and uses the working directory for other relative ones; we use the list's
            // folder for both so the dataset reads the same from anywhere (the usual "./images/..." lists agree).
            string folder = Path.GetDirectoryName(source)!;
            string[] lines;
            try
            {
                lines = File.ReadAllLines(source);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add(new(source, 0, $"image list cannot be read ({e.Message})"));
                return;
            }
            for (int i = 0; i < lines.Length; i++)
            {
                string entry = lines[i].Trim();
                if (entry.Length == 0) continue;
                string image = Path.GetFullPath(Path.Combine(folder, entry));
                if (ImageFileFormats.IsUnsupportedImage(image)) problems.Add(new(source, i + 1, UnsupportedMessage(image)));
                else if (!ImageFileFormats.IsSupportedImage(image)) problems.Add(new(source, i + 1, $"'{entry}' is not an image file ({string.Join(", ", ImageFileFormats.Supported)})"));
                else if (!File.Exists(image)) problems.Add(new(source, i + 1, $"image not found: {image}"));
                else listings.Add(new(image, source, i + 1));
            }
        }
    }

    private static (YoloSample Sample, List<DatasetProblem> Problems) ReadImage(string image, int classCount, YoloDatasetOptions options)
    {
        var problems = new List<DatasetProblem>();
        int width = 0, height = 0;
        try
        {
            if (ImageFileFormats.FindTruncation(image) is { } truncation)
            {
                problems.Add(new(image, 0, truncation));
            }
            else
            {
                (width, height) = ImageDecoder.ReadSize(image);
                if (options.VerifyPixels) _ = ImageDecoder.Decode(image);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            problems.Add(new(image, 0, $"unreadable image ({WithoutPathPrefix(e.Message, image)})"));
        }

        string labelPath = ImageFileFormats.LabelPathFor(image);
        // Without a readable image size, still validate the label lines (in normalised units) so all problems show at once.
        var objects = File.Exists(labelPath)
            ? YoloLabelFile.Read(labelPath, Math.Max(width, 1), Math.Max(height, 1), classCount, options.CoordinateTolerance, problems)
            : [];
        return (new YoloSample(image, width, height, objects), problems);
    }

    private static string UnsupportedMessage(string file) =>
        $"unsupported image format {Path.GetExtension(file)} (supported: {string.Join(", ", ImageFileFormats.Supported)})";

    private static string Where(Listing listing) => listing.Line > 0 ? $"{listing.ListedIn}:{listing.Line}" : listing.ListedIn;

    private static string WithoutPathPrefix(string message, string path) =>
        message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : message;
}
