using AnalyticsHub.Events;
using AnalyticsHub.Expressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace AnalyticsHub.Tests.Expressions;

/// <summary>Token soup: random sequences of the language's tokens (and a few characters it rejects).</summary>
public sealed record TokenSoup(string Text, AnalyticsEvent Event)
{
    private static readonly string[] Tokens =
    [
        "(", ")", "[", "]", ",", ".", "+", "-", "*", "/", "%", "!", "&&", "||", "==", "!=", "<", "<=", ">", ">=", "=",
        "in", "true", "false", "null", "1", "0", "2.5", "1e3", ".5", "\"ml\"", "'warning'", "\"LLM-COSTOPS\"",
        "severity", "tags.team", "tags[\"region\"]", "total_cost_usd", "payload.data.ttft_ms", "payload.payload_type", "x", "y",
        "min", "max", "abs", "sqrt", "log", "coalesce", "source_module", "payload", "data", "\"", "\\", "#", "&", "\n",
    ];

    public static Arbitrary<TokenSoup> Arbitrary() => Arb.From(
        Gen.ListOf(Gen.Elements(Tokens)).SelectMany(tokens => Gen.Elements(" ", string.Empty).SelectMany(separator =>
            ExpressionGenerators.Event.Select(evt => new TokenSoup(string.Join(separator, tokens), evt)))));

    public override string ToString() => Text;
}

public class ExpressionParserProperties
{
    [Property(MaxTest = 500)]
    public void Parse_AnyText_NeverThrowsAndReportsPositionInsideText(string? text)
    {
        text ??= string.Empty;
        var result = Expression.Parse(text);
        Assert.True(result.Succeeded ^ (result.Errors.Count > 0));
        foreach (var error in result.Errors)
        {
            Assert.InRange(error.Location!.Value.Position, 0, text.Length);
            Assert.True(error.Location!.Value.Line >= 1 && error.Location!.Value.Column >= 1);
        }
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(TokenSoup)])]
    public void TokenSoup_ParseCompileEvaluate_NeverThrowsAndEvaluatorsAgree(TokenSoup soup)
    {
        var variables = new VariableSet("x", "y");
        variables["x"] = Value.FromNumber(2);
        variables["y"] = Value.FromString("ml");
        var parsed = Expression.Parse(soup.Text);
        if (!parsed.Succeeded)
        {
            Assert.InRange(parsed.Errors[0].Location!.Value.Position, 0, soup.Text.Length);
            return;
        }

        Assert.Equal(parsed.Value.ToString(), Expression.Parse(parsed.Value.ToString()).GetValueOrThrow().ToString());
        var compiled = parsed.Value.Compile(new CompileOptions { Variables = variables });
        if (!compiled.Succeeded)
        {
            Assert.All(compiled.Errors, e => Assert.InRange(e.Location!.Value.Position, 0, soup.Text.Length));
            return;
        }

        Assert.Equal(parsed.Value.Interpret(soup.Event, variables), compiled.Value.Evaluate(soup.Event, variables));
    }

    [Property(MaxTest = 500, Arbitrary = [typeof(ExpressionArbitraries)])]
    public void MutatedValidExpression_NeverThrowsAndEvaluatorsAgreeWhenItCompiles(ExpressionCase testCase, int where, char inserted, bool delete)
    {
        var text = testCase.Root.ToString();
        var at = (int)((uint)where % (uint)(text.Length + 1));
        var mutated = delete && at < text.Length ? text.Remove(at, 1) : text.Insert(at, inserted.ToString());
        var variables = testCase.CreateVariables();
        var parsed = Expression.Parse(mutated);
        if (!parsed.Succeeded)
        {
            Assert.InRange(parsed.Errors[0].Location!.Value.Position, 0, mutated.Length);
            return;
        }

        var compiled = parsed.Value.Compile(new CompileOptions { Variables = variables });
        if (compiled.Succeeded)
        {
            Assert.Equal(parsed.Value.Interpret(testCase.Event, variables), compiled.Value.Evaluate(testCase.Event, variables));
        }
    }
}
