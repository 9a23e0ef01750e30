package conformance_test

import (
	"context"
	"fmt"
	"strings"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// crdValidator checks custom resources offline with the code
// kube-apiserver's apiextensions handler runs when a custom resource is
// created with strict field validation: unknown fields (which the server
// would prune) are errors, then defaulting, object metadata, the OpenAPI v3
// schema, list types and the CEL rules (x-kubernetes-validations).
type crdValidator struct {
	versions map[schema.GroupVersionKind]*crdVersion
}

// crdVersion is one served version of a CRD, compiled.
type crdVersion struct {
	crd        string
	namespaced bool
	structural *structuralschema.Structural
	schema     apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

// newCRDValidator compiles the schema of every served version of the CRDs.
func newCRDValidator(crds []map[string]any) (*crdValidator, error) {
	v := &crdValidator{versions: map[schema.GroupVersionKind]*crdVersion{}}
	for _, obj := range crds {
		var crd apiextensionsv1.CustomResourceDefinition
		if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(obj, &crd, true); err != nil {
			return nil, fmt.Errorf("CRD %s: %w", objectID(obj), err)
		}
		for _, ver := range crd.Spec.Versions {
			if !ver.Served || ver.Schema == nil {
				continue
			}
			cv, err := compileVersion(&crd, ver.Schema)
			if err != nil {
				return nil, fmt.Errorf("CRD %s version %s: %w", crd.Name, ver.Name, err)
			}
			gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: ver.Name, Kind: crd.Spec.Names.Kind}
			v.versions[gvk] = cv
		}
	}
	return v, nil
}

// compileVersion builds the structural schema, the OpenAPI validator and
// the CEL validator of one version, as the API server does.
func compileVersion(crd *apiextensionsv1.CustomResourceDefinition, val *apiextensionsv1.CustomResourceValidation) (*crdVersion, error) {
	internal := &apiextensionsinternal.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(val, internal, nil); err != nil {
		return nil, fmt.Errorf("converting schema: %w", err)
	}
	structural, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("structural schema: %w", err)
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("schema validator: %w", err)
	}
	return &crdVersion{
		crd:        crd.Name,
		namespaced: crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
		structural: structural,
		schema:     validator,
		cel:        cel.NewValidator(structural, true, celconfig.PerCallLimit),
	}, nil
}

// serves reports whether a CRD serves the object's group, version and kind.
func (v *crdValidator) serves(obj map[string]any) bool {
	return v.versions[gvkOf(obj)] != nil
}

// validate returns every error the API server would report for creating
// the object; an object no CRD serves is an error too.
func (v *crdValidator) validate(ctx context.Context, obj map[string]any) field.ErrorList {
	gvk := gvkOf(obj)
	cv := v.versions[gvk]
	if cv == nil {
		return field.ErrorList{field.NotFound(field.NewPath("apiVersion"), gvk.GroupVersion().String()+" "+gvk.Kind)}
	}
	u := runtime.DeepCopyJSON(obj)
	var errs field.ErrorList
	meta, _, unknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		errs = append(errs, field.Invalid(field.NewPath("metadata"), nil, err.Error()))
	}
	unknown = append(unknown, structuralpruning.PruneWithOptions(u, cv.structural, true,
		structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u, cv.structural)
	ferr, paths := schemaobjectmeta.CoerceWithOptions(nil, u, cv.structural, false,
		schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	if ferr != nil {
		errs = append(errs, ferr)
	}
	for _, p := range append(unknown, paths...) {
		errs = append(errs, field.Forbidden(field.NewPath(p), fmt.Sprintf("unknown field %q", p)))
	}
	structuraldefaulting.Default(u, cv.structural)
	if meta != nil {
		errs = append(errs, metavalidation.ValidateObjectMeta(meta, cv.namespaced, metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	}
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, u, cv.schema)...)
	errs = append(errs, schemaobjectmeta.Validate(ctx, nil, u, cv.structural, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, cv.structural, u)...)
	if cv.cel != nil {
		celErrs, _ := cv.cel.Validate(ctx, nil, cv.structural, u, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return errs
}

// gvkOf reads an object's group, version and kind.
func gvkOf(obj map[string]any) schema.GroupVersionKind {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return schema.GroupVersionKind{Kind: kind}
	}
	return gv.WithKind(kind)
}

// isIstioGroup reports an object of one of Istio's API groups.
func isIstioGroup(obj map[string]any) bool {
	g := gvkOf(obj).Group
	return g == "istio.io" || strings.HasSuffix(g, ".istio.io")
}
