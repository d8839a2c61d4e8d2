using DigitMl.Data;

namespace DigitMl.Augmentation.Rotation;

/// <summary>
/// Rotation augmentation as pure functions: turn one sample (image lazily, boxes exactly), and expand a
/// list of samples into the originals plus one copy per angle under an orientation-ambiguity policy.
/// </summary>
public static class RotationAugmenter
{
    /// <summary>
    /// The sample turned clockwise by <paramref name="degrees"/>: same file, <c>RotationDegrees</c> advanced,
    /// width and height swapped for odd quarter turns, every box transformed exactly
    /// (<see cref="QuarterTurnBoxes.Rotate"/>). No pixels are touched: <see cref="SampleImages.Load"/> turns the image.
    /// </summary>
    public static YoloSample Rotate(YoloSample sample, int degrees)
    {
        ArgumentNullException.ThrowIfNull(sample);
        int turns = ImageRotation.NormalizeQuarterTurns(degrees);
        if (turns == 0) return sample;
        var (width, height) = QuarterTurnBoxes.RotatedSize(sample.Width, sample.Height, degrees);
        var objects = new LabeledBox[sample.Objects.Count];
        for (int i = 0; i < objects.Length; i++)
        {
            var o = sample.Objects[i];
            objects[i] = o with { Box = QuarterTurnBoxes.Rotate(o.Box, sample.Width, sample.Height, degrees) };
        }
        int total = (ImageRotation.NormalizeQuarterTurns(sample.RotationDegrees) + turns) % 4 * 90;
        return new YoloSample(sample.ImagePath, width, height, objects, total);
    }

    /// <summary>
    /// The requested angles at which an orientation-ambiguous pair (6 and 9) contradicts itself. Turning a 6
    /// by a adds the same picture as turning a 9 by a + 180, so a training set must not hold both angle a and
    /// angle a + 180 for such images under their own names. Walking 0 (the originals) and then the requested
    /// angles in ascending order, an angle conflicts when the angle 180 degrees away is already kept as it is.
    /// For 90, 180, 270 this gives 180 and 270: 0 and 90 keep their names, 180 and 270 are dropped or relabelled.
    /// </summary>
    public static IReadOnlyList<int> ConflictingAngles(IEnumerable<int> angles)
    {
        var kept = new HashSet<int> { 0 };
        var conflicting = new List<int>();
        foreach (int angle in angles.Select(Normalize).Where(a => a != 0).Distinct().Order())
        {
            if (kept.Contains((angle + 180) % 360)) conflicting.Add(angle);
            else kept.Add(angle);
        }
        return conflicting;
    }

    /// <summary>
    /// The originals (unchanged, first, in order) followed by one rotated copy per requested angle (blocks in
    /// the order of <see cref="RotationOptions.Angles"/>), minus what the policy drops.
    /// </summary>
    /// <param name="names">The dataset's class names (index = class id), used to resolve class names in the options.</param>
    public static RotationExpansion Expand(IReadOnlyList<YoloSample> samples, RotationOptions options, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(names);
        var angles = RequestedAngles(options.Angles);
        var policyAngles = new HashSet<int>((options.PolicyAngles ?? ConflictingAngles(angles)).Select(Normalize));
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++) ids.TryAdd(names[i], i);

        var ambiguous = new HashSet<int>();
        var unknown = new List<string>();
        if (options.Policy == RotationPolicy.Drop)
        {
            foreach (var name in options.AmbiguousClasses)
            {
                if (ids.TryGetValue(name, out int id)) ambiguous.Add(id);
                else unknown.Add(name);
            }
        }
        var relabel = options.Policy == RotationPolicy.Relabel ? ResolveRelabelMap(options.RelabelMap, ids) : null;
        if (options.Storage == RotatedImageStorage.DiskCache && string.IsNullOrWhiteSpace(options.CacheDirectory))
            throw new ArgumentException("RotationOptions.CacheDirectory is required when Storage is DiskCache", nameof(options));

        bool turnClasses = options.Policy == RotationPolicy.Turns;
        var output = new List<YoloSample>(samples.Count * (angles.Count + 1));
        output.AddRange(turnClasses ? samples.Select(s => WithTurnClasses(s, names.Count)) : samples);
        var added = new Dictionary<int, int>();
        var dropped = new Dictionary<int, int>();
        int relabelled = 0;
        foreach (int angle in angles)
        {
            bool acts = policyAngles.Contains(angle) && !turnClasses;
            int addedHere = 0, droppedHere = 0;
            foreach (var sample in samples)
            {
                if (acts && ambiguous.Count > 0 && sample.Objects.Any(o => ambiguous.Contains(o.ClassId)))
                {
                    droppedHere++;
                    continue;
                }
                var rotated = Rotate(sample, angle);
                if (acts && relabel is not null)
                {
                    var objects = new LabeledBox[rotated.Objects.Count];
                    for (int i = 0; i < objects.Length; i++)
                    {
                        var o = rotated.Objects[i];
                        if (relabel.TryGetValue(o.ClassId, out int to))
                        {
                            o = o with { ClassId = to };
                            relabelled++;
                        }
                        objects[i] = o;
                    }
                    rotated = rotated with { Objects = objects };
                }
                if (turnClasses)
                    rotated = WithTurnClasses(rotated, names.Count);
                if (options.Storage == RotatedImageStorage.DiskCache)
                    rotated = RotatedImageCache.Materialize(rotated, options.CacheDirectory!);
                output.Add(rotated);
                addedHere++;
            }
            added[angle] = addedHere;
            dropped[angle] = droppedHere;
        }
        var report = new RotationReport(options.Policy, samples.Count, added, dropped, relabelled, unknown);
        return new RotationExpansion(output, report);
    }

    /// <summary>
    /// Turn-aware class ids (<see cref="RotationPolicy.Turns"/>): class c of a sample whose image is turned by t quarter
    /// turns from upright becomes t * <paramref name="classes"/> + c.
    /// </summary>
    public static YoloSample WithTurnClasses(YoloSample sample, int classes)
    {
        ArgumentNullException.ThrowIfNull(sample);
        int turn = ImageRotation.NormalizeQuarterTurns(sample.RotationDegrees);
        if (turn == 0) return sample;
        var objects = new LabeledBox[sample.Objects.Count];
        for (int i = 0; i < objects.Length; i++)
        {
            var o = sample.Objects[i];
            if (o.ClassId < 0 || o.ClassId >= classes)
                throw new ArgumentException($"{sample.ImagePath}: class {o.ClassId} is outside the {classes} class names (already turn-aware?)", nameof(sample));
            objects[i] = o with { ClassId = (turn * classes) + o.ClassId };
        }
        return sample with { Objects = objects };
    }

    /// <summary>The requested extra angles, normalised to 90/180/270, without 0; a repeated angle is an error.</summary>
    public static IReadOnlyList<int> RequestedAngles(IEnumerable<int> angles)
    {
        ArgumentNullException.ThrowIfNull(angles);
        var result = new List<int>();
        foreach (int raw in angles)
        {
            int angle = Normalize(raw);
            if (angle == 0) continue;
            if (result.Contains(angle))
                throw new ArgumentException($"rotation angle {raw} is requested twice (angles are taken modulo 360)", nameof(angles));
            result.Add(angle);
        }
        return result;
    }

    private static int Normalize(int degrees) => ImageRotation.NormalizeQuarterTurns(degrees) * 90;

    private static Dictionary<int, int> ResolveRelabelMap(IReadOnlyDictionary<string, string> map, Dictionary<string, int> ids)
    {
        if (map.Count == 0)
            throw new ArgumentException("the relabel policy needs a relabel map (e.g. 6:9,9:6)");
        var resolved = new Dictionary<int, int>();
        foreach (var (from, to) in map)
        {
            if (!ids.TryGetValue(from, out int fromId))
                throw new ArgumentException($"relabel map names class '{from}', which the dataset does not have (classes: {string.Join(", ", ids.Keys)})");
            if (!ids.TryGetValue(to, out int toId))
                throw new ArgumentException($"relabel map names class '{to}', which the dataset does not have (classes: {string.Join(", ", ids.Keys)})");
            resolved[fromId] = toId;
        }
        return resolved;
    }
}
