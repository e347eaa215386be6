using System.Reflection;
using System.Text;
using AnalyticsHub.Events;
using AnalyticsHub.Events.Json;

namespace AnalyticsHub.Tests.Events.Json;

public class PayloadCatalogTests
{
    private static IEnumerable<(Type Record, FieldSpec Field)> AllFields()
    {
        foreach (var variant in PayloadCatalog.Variants)
        {
            foreach (var field in variant.Schema.Fields)
            {
                yield return (variant.Schema.ClrType, field);
                if (field.Nested is { } nested)
                {
                    foreach (var inner in nested.Fields)
                    {
                        yield return (nested.ClrType, inner);
                    }
                }
            }
        }
    }

    private static string PascalCase(string wireName) =>
        string.Concat(wireName.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private static string SnakeCase(string propertyName)
    {
        var builder = new StringBuilder();
        foreach (var c in propertyName)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    [Fact]
    public void Variants_CoverEveryConcretePayloadRecord()
    {
        var records = typeof(EventPayload).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(EventPayload)) && !t.IsAbstract)
            .Select(t => t.Name).Order().ToList();

        Assert.Equal(records, PayloadCatalog.Variants.Select(v => v.Schema.ClrType.Name).Order().ToList());
    }

    [Fact]
    public void EveryRecordProperty_HasAFieldWithItsTypeAndASensitivity()
    {
        // A property added to a record without its line in the catalog is neither read, written, validated
        // nor redacted: this fails until the field is described, sensitivity included.
        var described = AllFields().Select(f => (f.Record, f.Field.Name)).ToHashSet();
        var missing = new List<string>();
        foreach (var type in AllFields().Select(f => f.Record).Distinct())
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.Name is "PayloadType" or "Subtype" || property.DeclaringType == typeof(object))
                {
                    continue;
                }

                if (!described.Contains((type, SnakeCase(property.Name))))
                {
                    missing.Add($"{type.Name}.{property.Name}");
                }
            }
        }

        Assert.True(missing.Count == 0, "Record properties missing from PayloadCatalog: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryField_MatchesItsRecordPropertyType()
    {
        foreach (var (record, field) in AllFields())
        {
            var property = record.GetProperty(PascalCase(field.Name));
            Assert.True(property is not null, $"{record.Name} has no property for '{field.Name}'.");
            Assert.True(field.ClrType == property!.PropertyType, $"{record.Name}.{property.Name} is {property.PropertyType.Name}; the catalog says {field.ClrType.Name}.");
        }
    }

    [Fact]
    public void EveryTextField_HasASensitivity_AndNoOtherFieldHasOne()
    {
        foreach (var (record, field) in AllFields())
        {
            var holdsText = field.Kind is FieldKind.String or FieldKind.OptionalString or FieldKind.StringList or FieldKind.OpenEnum
                or FieldKind.Json or FieldKind.JsonMap or FieldKind.UInt64Map or FieldKind.DoubleMap;
            Assert.True(
                holdsText == (field.Sensitivity != Sensitivity.None),
                $"{record.Name}.{field.Name} ({field.Kind}) has sensitivity {field.Sensitivity}.");
            Assert.True(Enum.IsDefined(field.Sensitivity));
        }
    }

    [Fact]
    public void Tags_AreNeverFreeText_AndNumbersHaveUnits()
    {
        foreach (var (record, field) in AllFields())
        {
            Assert.False(field.CanBeTag && field.Sensitivity == Sensitivity.FreeText, $"{record.Name}.{field.Name} is free text and a tag.");
            if (field.Kind is FieldKind.Double or FieldKind.OptionalDouble or FieldKind.UInt32 or FieldKind.OptionalUInt32 or FieldKind.UInt64)
            {
                Assert.False(string.IsNullOrEmpty(field.Unit), $"{record.Name}.{field.Name} has no unit.");
            }
        }
    }

    [Fact]
    public void Identifiers_AreExactlyThePeopleAndHostsSecurityKeysOn()
    {
        var identifiers = AllFields().Where(f => f.Field.Sensitivity == Sensitivity.Identifier).Select(f => f.Field.Name).Distinct().Order();
        Assert.Equal(["ip_address", "source_ip", "user_id"], identifiers);
    }

    [Fact]
    public void PointFields_AreUniqueWithinAMeasurement()
    {
        foreach (var variant in PayloadCatalog.Variants)
        {
            var names = AllFields().Where(f => f.Record == variant.Schema.ClrType || (variant.Schema.Fields.Any(x => x.Nested?.ClrType == f.Record)))
                .Select(f => f.Field.PointField).OfType<string>().Append(variant.EventCount).OfType<string>().ToList();
            Assert.Equal(names.Count, names.Distinct().Count());
        }
    }

    [Fact]
    public void For_FindsEachVariantByItsTagValue()
    {
        foreach (var variant in PayloadCatalog.Variants.Where(v => v.Family != PayloadType.Custom))
        {
            var tag = variant.Schema.Fields[0];
            Assert.Equal(FieldKind.VariantTag, tag.Kind);
            Assert.True(tag.EnumTable!.TryParse(variant.Variant, out int subtype));
            Assert.Same(variant.Schema, PayloadCatalog.For(variant.Family, subtype));
        }
    }
}
