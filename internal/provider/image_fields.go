package provider

import (
	"sort"
	"strings"
)

// imageField is one field of the account's execution config: the images that DB DevOps
// pipelines run. attr is the Terraform attribute name, the snake_case of api.
type imageField struct {
	attr string
	api  string
	what string
}

// imageFields lists every field the API documents (ExecutionConfigTags), sorted by attr.
// Fields the server adds later still show in the data sources' maps.
var imageFields = []imageField{
	{"artifactory_tag", "artifactoryTag", "the image that downloads changelog archives from Artifactory"},
	{"big_query_tag", "bigQueryTag", "the Liquibase image for Google BigQuery"},
	{"bigtable_tag", "bigtableTag", "the Liquibase image for Google Bigtable"},
	{"cloud_sql_tag", "cloudSqlTag", "the Liquibase image for Google Cloud SQL"},
	{"db2_tag", "db2Tag", "the Liquibase image for IBM Db2"},
	{"default_tag", "defaultTag", "the default Liquibase image, used for most databases"},
	{"flyway_default_tag", "flywayDefaultTag", "the default Flyway image"},
	{"flyway_mongo_tag", "flywayMongoTag", "the Flyway image for MongoDB"},
	{"flyway_spanner_psql_tag", "flywaySpannerPsqlTag", "the Flyway image for Spanner's PostgreSQL interface"},
	{"flyway_spanner_tag", "flywaySpannerTag", "the Flyway image for Google Spanner"},
	{"git_clone_tag", "gitCloneTag", "the image that clones the changelog's Git repository"},
	{"mongo_tag", "mongoTag", "the Liquibase image for MongoDB"},
	{"oracle_tag", "oracleTag", "the Liquibase image for Oracle"},
	{"percona_tag", "perconaTag", "the image with Percona Toolkit, used by schemas with use_percona"},
	{"rds_tag", "rdsTag", "the Liquibase image for Amazon RDS"},
	{"snowflake_tag", "snowflakeTag", "the Liquibase image for Snowflake"},
	{"spanner_tag", "spannerTag", "the Liquibase image for Google Spanner"},
}

// imageFieldByName finds a field by its attribute or its API name.
func imageFieldByName(name string) (imageField, bool) {
	for _, f := range imageFields {
		if f.attr == name || f.api == name {
			return f, true
		}
	}
	return imageField{}, false
}

// imageFieldNames lists the attribute names, for error messages.
func imageFieldNames() string {
	names := make([]string, len(imageFields))
	for i, f := range imageFields {
		names[i] = f.attr
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
