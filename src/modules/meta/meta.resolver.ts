import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { ALL_ENUMS } from '../../domain/enums';

@ObjectType({ description: 'One enum value with its labels.' })
class EnumValueLabel {
  @Field() value: string;
  @Field({ description: 'Chinese label (中文)' }) label: string;
  @Field({ description: 'English label' }) labelEn: string;
}

@ObjectType({ description: 'An enum with the labels of all its values.' })
class EnumLabels {
  @Field() enum: string;
  @Field(() => [EnumValueLabel]) values: EnumValueLabel[];
}

@Resolver()
export class MetaResolver {
  @Query(() => [EnumLabels], { description: 'Chinese and English labels for every enum value.' })
  enumLabels(): EnumLabels[] {
    return Object.entries(ALL_ENUMS).map(([name, def]) => ({
      enum: name,
      values: Object.entries(def.labels as Record<string, [string, string]>).map(([value, [label, labelEn]]) => ({
        value,
        label,
        labelEn,
      })),
    }));
  }
}
