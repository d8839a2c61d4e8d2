using DigitMl.Scoring;

namespace DigitMl.Tests.Scoring;

public sealed class PageTurnVoteTests
{
    // 10 classes, turn-major: index t * 10 + c
    private static float[] Scores(params (int Turn, int Class, float Score)[] entries)
    {
        var scores = new float[40];
        foreach (var (t, c, s) in entries) scores[(t * 10) + c] = s;
        return scores;
    }

    [Test]
    public void ThePageTurnIsTheTurnWithTheMostConfidentDigits()
    {
        var ambiguous = Scores((2, 6, 0.8f), (0, 9, 0.8f));   // "6 at 180 or 9 at 0"
        var three = Scores((2, 3, 0.9f));                        // a 3 that only reads turned by 180
        var seven = Scores((2, 7, 0.7f), (0, 1, 0.2f));
        Assert.That(PageTurnVote.Vote([ambiguous, three, seven], 10), Is.EqualTo(2));
        Assert.That(PageTurnVote.Vote([ambiguous], 10), Is.Zero, "a tie reads upright");
        Assert.That(PageTurnVote.Vote([], 10), Is.Zero);
    }

    [Test]
    public void OnTheVotedTurnAnAmbiguousBoxReadsAsThatTurnsDigit()
    {
        var ambiguous = Scores((2, 6, 0.8f), (0, 9, 0.8f));
        var classScores = new float[10];
        PageTurnVote.Rescore(ambiguous, 10, pageTurn: 2, penalty: 0.5f, classScores);
        Assert.That((classScores[6], classScores[9]), Is.EqualTo((0.8f, 0.4f)));
        PageTurnVote.Rescore(ambiguous, 10, pageTurn: 0, penalty: 0.5f, classScores);
        Assert.That((classScores[6], classScores[9]), Is.EqualTo((0.4f, 0.8f)));
    }
}
