// Package tfkit is this project's small layer over terraform-plugin-framework: what
// every resource and data source of the provider uses and the framework does not give
// in the form they want. It knows no Harness entity and imports nothing of this
// project.
//
//   - attrs.go: the attribute DSL. An entity's attributes are written once (Attrs), and
//     its model's object type, its resource schema (with a Setting per attribute the
//     resource sets) and its data-source schemas are built from them. A type the
//     builders do not build is a panic at start-up, never a silent string.
//   - codec.go: GetModel and SetModel, the framework's Get and Set of a whole plan or
//     state without its per-call reflection.
//   - values.go: Go values to Terraform values and back (OptionalString, StringMap,
//     GoStringMap, ObjectList, Objects).
//   - validators.go: generic validators (HTTPURL, Duration, NotNegative, Reserved,
//     AtMostOneOf).
//   - plan.go: plan modifiers and ModifyPlan helpers (UseStateWhenUnchanged,
//     PlanModels, Replacing, KnownStrings).
//   - unchanged.go: UnchangedPlans, the framework's plan of an unchanged object (its
//     prior state) answered without the framework, for resources marked
//     UnchangedPlanIsState, when it can prove the framework's answer.
//
// What only Harness knows (its identifier pattern, reserved identifiers, connector
// references, the scope of an entity) is the provider's, which builds on this.
package tfkit
