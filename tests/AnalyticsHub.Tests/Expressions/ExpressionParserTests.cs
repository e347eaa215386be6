using AnalyticsHub.Expressions;
using AnalyticsHub.Events;

namespace AnalyticsHub.Tests.Expressions;

public class ExpressionParserTests
{
    private static Expression Parse(string text) => Expression.Parse(text).GetValueOrThrow();

    private static Problem ParseError(string text, ExpressionLimits? limits = null)
    {
        var result = Expression.Parse(text, limits);
        Assert.False(result.Succeeded, $"'{text}' should not parse");
        return Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("1 + 2 * 3", "1 + 2 * 3")]
    [InlineData("(1 + 2) * 3", "(1 + 2) * 3")]
    [InlineData("1 - 2 - 3", "1 - 2 - 3")]
    [InlineData("1 - (2 - 3)", "1 - (2 - 3)")]
    [InlineData("!a && b || c", "!a && b || c")]
    [InlineData("!(a && b) || c", "!(a && b) || c")]
    [InlineData("a || b && c", "a || b && c")]
    [InlineData("(a || b) && c", "(a || b) && c")]
    [InlineData("-x * 2", "-x * 2")]
    [InlineData("-(x * 2)", "-(x * 2)")]
    [InlineData("- - 1", "--1")]
    [InlineData("a < b == c > d", "a < b == c > d")]
    [InlineData("x + 1 in [1, 2]", "x + 1 in [1, 2]")]
    [InlineData("x in [1, 2] == true", "x in [1, 2] == true")]
    [InlineData("10 % 3 / 2", "10 % 3 / 2")]
    [InlineData("tags[\"cost-center\"] == 'x'", "tags[\"cost-center\"] == \"x\"")]
    [InlineData("tags.null", "tags.null")]
    [InlineData("max(1, min(2, 3))", "max(1, min(2, 3))")]
    [InlineData("cost_per_request = total_cost_usd / request_count", "cost_per_request = total_cost_usd / request_count")]
    [InlineData("1.5e3 + .5", "1500 + 0.5")]
    [InlineData("'a\\'b\\n\\u0041'", "\"a'b\\nA\"")]
    public void Parse_Precedence_PrintsCanonicalForm(string text, string canonical) =>
        Assert.Equal(canonical, Parse(text).ToString());

    [Fact]
    public void Parse_MultiplicationBindsTighterThanAddition()
    {
        var root = Assert.IsType<BinaryNode>(Parse("1 + 2 * 3 == 7").Root);
        Assert.Equal(BinaryOperator.Equal, root.Operator);
        var sum = Assert.IsType<BinaryNode>(root.Left);
        Assert.Equal(BinaryOperator.Add, sum.Operator);
        Assert.Equal(BinaryOperator.Multiply, Assert.IsType<BinaryNode>(sum.Right).Operator);
        Assert.True(Parse("1 + 2 * 3 == 7").Interpret(null).IsTrue);
    }

    [Fact]
    public void Parse_NotBindsTighterThanAndWhichBindsTighterThanOr()
    {
        var root = Assert.IsType<BinaryNode>(Parse("!a && b || c").Root);
        Assert.Equal(BinaryOperator.Or, root.Operator);
        var and = Assert.IsType<BinaryNode>(root.Left);
        Assert.Equal(BinaryOperator.And, and.Operator);
        Assert.Equal(UnaryOperator.Not, Assert.IsType<UnaryNode>(and.Left).Operator);
    }

    [Fact]
    public void Parse_In_BuildsMembershipNodeWithPositionOfKeyword()
    {
        var node = Assert.IsType<InNode>(Parse("source_module in [\"llm-cost-ops\", \"llm-observatory\"]").Root);
        Assert.Equal(14, node.Position);
        Assert.Equal(2, node.Items.Count);
        Assert.Equal("source_module", Assert.IsType<FieldNode>(node.Operand).Path);
    }

    [Fact]
    public void Parse_FormulaPrefix_SetsName()
    {
        var expression = Parse("cost_per_request = total_cost_usd / request_count");
        Assert.Equal("cost_per_request", expression.Name);
        Assert.IsType<BinaryNode>(expression.Root);
    }

    [Fact]
    public void Parse_FieldPath_KeepsSegments()
    {
        var field = Assert.IsType<FieldNode>(Parse("payload.data.total_cost_usd").Root);
        Assert.Equal(["payload", "data", "total_cost_usd"], field.Segments);
        Assert.Equal("payload.data.total_cost_usd", field.Path);
    }

    [Fact]
    public void TryParse_BadInput_ReturnsFalseWithErrors()
    {
        Assert.False(Expression.TryParse("1 +", out var expression, out var errors));
        Assert.Null(expression);
        Assert.Equal(ProblemCodes.UnexpectedEnd, Assert.Single(errors).Code);
    }

    [Theory]
    [InlineData("", ProblemCodes.Empty, 0)]
    [InlineData("   ", ProblemCodes.Empty, 3)]
    [InlineData("1 +", ProblemCodes.UnexpectedEnd, 3)]
    [InlineData("1 + * 2", ProblemCodes.UnexpectedToken, 4)]
    [InlineData("(1 + 2", ProblemCodes.UnexpectedEnd, 6)]
    [InlineData("1 + 2)", ProblemCodes.UnexpectedToken, 5)]
    [InlineData("a # b", ProblemCodes.UnexpectedCharacter, 2)]
    [InlineData("a & b", ProblemCodes.UnexpectedCharacter, 2)]
    [InlineData("a = b = c", ProblemCodes.UnexpectedToken, 6)]
    [InlineData("\"abc", ProblemCodes.UnterminatedString, 0)]
    [InlineData("x == \"a\\qb\"", ProblemCodes.InvalidEscape, 7)]
    [InlineData("1.", ProblemCodes.InvalidNumber, 2)]
    [InlineData("1e", ProblemCodes.InvalidNumber, 2)]
    [InlineData("12abc", ProblemCodes.InvalidNumber, 2)]
    [InlineData("1e400", ProblemCodes.NumberOutOfRange, 0)]
    [InlineData("x in 1", ProblemCodes.UnexpectedToken, 5)]
    [InlineData("x in [1, 2", ProblemCodes.UnexpectedEnd, 10)]
    [InlineData("tags.", ProblemCodes.UnexpectedEnd, 5)]
    [InlineData("tags[1]", ProblemCodes.UnexpectedToken, 5)]
    [InlineData("max(1,)", ProblemCodes.UnexpectedToken, 6)]
    public void Parse_BadInput_ReportsCodeAndPosition(string text, string code, int position)
    {
        var error = ParseError(text);
        Assert.Equal(code, error.Code);
        Assert.Equal(position, error.Location!.Value.Position);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_ErrorOnLaterLine_ReportsLineAndColumn()
    {
        var error = ParseError("severity >= \"warning\"\n  && payload.data.total_cost_usd >\n  ");
        Assert.Equal(ProblemCodes.UnexpectedEnd, error.Code);
        Assert.Equal(3, error.Location!.Value.Line);
        Assert.Equal(3, error.Location!.Value.Column);
        Assert.Equal("unexpected_end at 3:3: " + error.Message, error.ToString());
    }

    [Fact]
    public void Parse_UnexpectedToken_MessageNamesTheToken()
    {
        var error = ParseError("a && || b");
        Assert.Equal(5, error.Location!.Value.Position);
        Assert.Contains("'||'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TenThousandNestedParens_RejectedAsTooLong()
    {
        var text = new string('(', 10_000) + "1" + new string(')', 10_000);
        var error = ParseError(text);
        Assert.Equal(ProblemCodes.TooLong, error.Code);
        Assert.Equal(4096, error.Location!.Value.Position);
    }

    [Fact]
    public void Parse_TenThousandNestedParensWithLargeLimit_RejectedAsTooDeepAtTheSixtyFifthParen()
    {
        var text = new string('(', 10_000) + "1" + new string(')', 10_000);
        var error = ParseError(text, new ExpressionLimits { MaxLength = 1_000_000 });
        Assert.Equal(ProblemCodes.TooDeep, error.Code);
        Assert.Equal(64, error.Location!.Value.Position);
    }

    [Fact]
    public void Parse_DeepUnaryChain_RejectedAsTooDeep()
    {
        var error = ParseError(new string('-', 4000) + "1");
        Assert.Equal(ProblemCodes.TooDeep, error.Code);
        Assert.Equal(64, error.Location!.Value.Position);
        Assert.Equal(ProblemCodes.TooDeep, ParseError(new string('!', 100_000) + "true", new ExpressionLimits { MaxLength = int.MaxValue }).Code);
    }

    [Fact]
    public void Parse_LongBinaryChain_RejectedByTreeHeight()
    {
        var text = "1" + string.Concat(Enumerable.Repeat(" + 1", 300));
        var error = ParseError(text);
        Assert.Equal(ProblemCodes.TooDeep, error.Code);
        Assert.Equal((4 * 256) - 2, error.Location!.Value.Position);
    }

    [Fact]
    public void Parse_ChainWithinTreeHeight_Parses()
    {
        var text = "1" + string.Concat(Enumerable.Repeat(" + 1", 200));
        Assert.Equal(201.0, Parse(text).Interpret(null).Number);
    }

    [Fact]
    public void Parse_OneMegabyteString_RejectedQuickly()
    {
        var text = "x == \"" + new string('a', 1 << 20) + "\"";
        Assert.Equal(ProblemCodes.TooLong, ParseError(text).Code);
        var error = ParseError(text, new ExpressionLimits { MaxLength = int.MaxValue });
        Assert.Equal(ProblemCodes.StringTooLong, error.Code);
        Assert.Equal(5, error.Location!.Value.Position);
    }

    [Fact]
    public void Parse_HugeNumbers_RejectedCleanly()
    {
        Assert.Equal(ProblemCodes.NumberOutOfRange, ParseError(new string('9', 60) + "e300").Code);
        Assert.Equal(ProblemCodes.InvalidNumber, ParseError(new string('9', 65)).Code);
        Assert.Equal(1e308, Parse("1e308").Interpret(null).Number);
    }

    [Fact]
    public void Parse_ListLongerThanLimit_Rejected()
    {
        var text = "x in [" + string.Join(", ", Enumerable.Range(0, 300)) + "]";
        var error = ParseError(text);
        Assert.Equal(ProblemCodes.ListTooLong, error.Code);
        Assert.Equal(text.IndexOf("256", StringComparison.Ordinal), error.Location!.Value.Position);
    }

    [Fact]
    public void Parse_ControlCharacter_NamedByCodePoint()
    {
        var error = ParseError("a \u0001 b");
        Assert.Equal(ProblemCodes.UnexpectedCharacter, error.Code);
        Assert.Contains("U+0001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NullText_Throws() => Assert.Throws<ArgumentNullException>(() => Expression.Parse(null!));
}
