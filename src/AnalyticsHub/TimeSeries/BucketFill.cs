namespace AnalyticsHub.TimeSeries;

/// <summary>
/// Fills the empty buckets of one group (rows of outputs, null where the bucket had no data): null, zero or a
/// constant, the previous bucket's value per output, or linear interpolation between the neighbouring buckets with a
/// number (edges stay null).
/// </summary>
internal static class BucketFill
{
    public static void Apply(FillStrategy fill, FieldValue?[]?[] computed, int outputCount)
    {
        var buckets = computed.Length;
        switch (fill.Kind)
        {
            case FillStrategyKind.Null:
                for (var b = 0; b < buckets; b++)
                {
                    computed[b] ??= new FieldValue?[outputCount];
                }

                break;
            case FillStrategyKind.Zero:
            case FillStrategyKind.Value:
                var constant = FieldValue.FromInt64(fill.Kind == FillStrategyKind.Zero ? 0 : fill.Value);
                for (var b = 0; b < buckets; b++)
                {
                    if (computed[b] is null)
                    {
                        var values = new FieldValue?[outputCount];
                        values.AsSpan().Fill(constant);
                        computed[b] = values;
                    }
                }

                break;
            case FillStrategyKind.Previous:
                var previous = new FieldValue?[outputCount];
                for (var b = 0; b < buckets; b++)
                {
                    if (computed[b] is { } values)
                    {
                        for (var o = 0; o < values.Length; o++)
                        {
                            previous[o] = values[o] ?? previous[o];
                        }
                    }
                    else
                    {
                        computed[b] = (FieldValue?[])previous.Clone();
                    }
                }

                break;
            default:
                FillLinear(computed, outputCount);
                break;
        }
    }

    private static void FillLinear(FieldValue?[]?[] computed, int outputCount)
    {
        var buckets = computed.Length;
        var empty = new bool[buckets];
        for (var b = 0; b < buckets; b++)
        {
            empty[b] = computed[b] is null;
            if (empty[b])
            {
                computed[b] = new FieldValue?[outputCount];
            }
        }

        for (var o = 0; o < outputCount; o++)
        {
            var previous = -1;
            for (var b = 0; b < buckets; b++)
            {
                if (empty[b])
                {
                    continue;
                }

                if (computed[b]![o] is { } value && value.TryGetDouble(out var current))
                {
                    if (previous >= 0 && b - previous > 1 && computed[previous]![o]!.Value.TryGetDouble(out var before))
                    {
                        for (var k = previous + 1; k < b; k++)
                        {
                            if (empty[k])
                            {
                                computed[k]![o] = FieldValue.FromDouble(before + ((current - before) * (k - previous) / (b - previous)));
                            }
                        }
                    }

                    previous = b;
                }
            }
        }
    }
}
