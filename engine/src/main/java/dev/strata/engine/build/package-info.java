/**
 * {@code strata build} up to execution: what a Dockerfile says and what a build of it needs, so that the executor
 * (running RUN steps, committing layers, the cache) can be written on top.
 *
 * <ol>
 * <li>{@link dev.strata.engine.build.DockerfileParser} turns the text into a {@link dev.strata.engine.build.Dockerfile}:
 *     stages of {@link dev.strata.engine.build.Instruction} records with their source locations, as Docker parses it
 *     (BuildKit's parser, shared by the classic builder); errors are {@link dev.strata.engine.build.DockerfileException}s
 *     that start with {@code file:line:}.</li>
 * <li>{@link dev.strata.engine.build.BuildArgs} holds the {@code --build-arg} values and the meta ARGs;
 *     {@link dev.strata.engine.build.BuildPlan} picks the stages the target needs and resolves FROM and
 *     {@code COPY --from}.</li>
 * <li>Per stage, {@link dev.strata.engine.build.StageScope} substitutes variables in each instruction
 *     ({@link dev.strata.engine.build.ShellLex}, Docker's word lexer) with the ARG and ENV values of that moment.</li>
 * <li>{@link dev.strata.engine.build.BuildContext} is the context as the daemon would have it (.dockerignore
 *     applied by {@link dev.strata.engine.build.DockerIgnore}), its size as the CLI sends it, COPY/ADD sources resolved
 *     and a cache key over their content and metadata.</li>
 * </ol>
 *
 * <p>Where Strata departs from Docker, on purpose: unused stages are not built (BuildKit's behaviour, not the
 * classic builder's); {@code RUN --network} is accepted (the classic builder refuses every RUN flag) while
 * {@code RUN --mount} is refused; an ONBUILD trigger is parsed when it is defined, so its errors show at once;
 * {@code COPY --from} naming a later stage is an error (BuildKit's) rather than an image; several sources may go to
 * {@code .} as well as to {@code dir/}; a tar context's {@code .dockerignore} is applied in full; flags on
 * instructions that take none are errors everywhere (BuildKit silently ignores them on ARG and STOPSIGNAL).
 */
package dev.strata.engine.build;
