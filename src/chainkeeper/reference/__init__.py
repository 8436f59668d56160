"""Reference tables shipped with the package: regions, industries, region groups and key chains."""
