/**
 * The router as LangChain4j's {@code ChatModel}, {@code StreamingChatModel} and
 * {@code EmbeddingModel}. Its API takes LangChain4j's and the router's types, so both are
 * re-exported. LangChain4j 1.19's jars carry no {@code Automatic-Module-Name}: {@code langchain4j.core}
 * is the name the JDK derives from the jar's file name, and changes (with this descriptor) when
 * LangChain4j names its modules.
 *
 * @since 0.1.0
 */
module io.llmrouter.langchain4j {
    requires transitive io.llmrouter.api;
    requires transitive io.llmrouter.core;
    requires transitive langchain4j.core;
    requires com.fasterxml.jackson.core; // JsonProcessingException of a raw schema
    requires com.fasterxml.jackson.databind;

    exports io.llmrouter.langchain4j;
}
