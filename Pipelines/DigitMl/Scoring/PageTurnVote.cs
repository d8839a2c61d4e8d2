namespace DigitMl.Scoring;

/// <summary>
/// The page turn of a turn-aware model (docs/orientation.md): over the candidate boxes of an image, turn t collects
/// S_t = sum over boxes of max_c score(t * nc + c) and the page turn is argmax S_t (ties: the smaller turn, so an
/// undecided page reads upright). Each box's class score then becomes max over t of w_t * score(t * nc + c), with
/// w_t = 1 for the page turn and <c>penalty</c> for the others, so a box that reads "6 at 180 or 9 at 0" is a 6 on a
/// page turned by 180 and a 9 on an upright one.
/// </summary>
public static class PageTurnVote
{
    public const float DefaultPenalty = 0.5f;

    /// <summary>The page turn 0..orientations-1 (quarter turns clockwise) from each candidate's per-turn scores.</summary>
    public static int Vote(IEnumerable<float[]> turnScores, int numClasses, int orientations = 4)
    {
        ArgumentNullException.ThrowIfNull(turnScores);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        var sums = new double[orientations];
        foreach (var scores in turnScores)
        {
            if (scores.Length != orientations * numClasses)
                throw new ArgumentException($"a candidate has {scores.Length} turn scores, expected {orientations} x {numClasses}", nameof(turnScores));
            for (int t = 0; t < orientations; t++)
            {
                float best = scores[t * numClasses];
                for (int c = 1; c < numClasses; c++) best = Math.Max(best, scores[(t * numClasses) + c]);
                sums[t] += best;
            }
        }

        int turn = 0;
        for (int t = 1; t < orientations; t++)
            if (sums[t] > sums[turn]) turn = t;
        return turn;
    }

    /// <summary>Class scores of one candidate on a page turned by <paramref name="pageTurn"/> quarter turns.</summary>
    public static void Rescore(ReadOnlySpan<float> turnScores, int numClasses, int pageTurn, float penalty, Span<float> classScores)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        if (classScores.Length != numClasses) throw new ArgumentException($"expected {numClasses} class scores", nameof(classScores));
        int orientations = turnScores.Length / numClasses;
        for (int c = 0; c < numClasses; c++)
        {
            float best = 0;
            for (int t = 0; t < orientations; t++)
            {
                float weighted = (t == pageTurn ? 1f : penalty) * turnScores[(t * numClasses) + c];
                if (weighted > best) best = weighted;
            }

            classScores[c] = best;
        }
    }
}
